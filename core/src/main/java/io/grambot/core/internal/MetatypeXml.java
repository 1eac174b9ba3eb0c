package io.grambot.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Bundle;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The {@code min} and {@code max} of attribute definitions, read from a bundle's metatype XML: the Metatype service
 * API has no getter for them (bnd writes them from {@code @AttributeDefinition(min, max)}).
 */
final class MetatypeXml {

    /** Where bnd and the Metatype specification put a bundle's metatype documents. */
    static final String LOCATION = "OSGI-INF/metatype";

    /** The bounds of one attribute, as written (a number, or a length for text); {@code null} when absent. */
    record Bounds(String min, String max) {}

    private MetatypeXml() {}

    /** The bounds of the attributes of the object class definition {@code ocdId} in the bundle's metatype documents. */
    static Map<String, Bounds> bounds(Bundle bundle, String ocdId) throws IOException {
        Enumeration<URL> documents = bundle.findEntries(LOCATION, "*.xml", false);
        while (documents != null && documents.hasMoreElements()) {
            URL document = documents.nextElement();
            try (InputStream in = document.openStream()) {
                Optional<Map<String, Bounds>> found = bounds(in, ocdId);
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                throw new IOException("cannot read metatype document " + document + " of bundle "
                        + bundle.getSymbolicName() + ": " + e.getMessage(), e);
            }
        }
        return Map.of();
    }

    /** The bounds of the attributes of {@code ocdId} in one metatype document, if it defines that OCD. */
    static Optional<Map<String, Bounds>> bounds(InputStream xml, String ocdId) throws IOException {
        Document document = parse(xml);
        NodeList ocds = document.getElementsByTagNameNS("*", "OCD");
        for (int i = 0; i < ocds.getLength(); i++) {
            Element ocd = (Element) ocds.item(i);
            if (!ocdId.equals(ocd.getAttribute("id"))) {
                continue;
            }
            Map<String, Bounds> bounds = new LinkedHashMap<>();
            for (Node child = ocd.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element ad && "AD".equals(localName(ad))) {
                    String min = attribute(ad, "min");
                    String max = attribute(ad, "max");
                    if (min != null || max != null) {
                        bounds.put(ad.getAttribute("id"), new Bounds(min, max));
                    }
                }
            }
            return Optional.of(Map.copyOf(bounds));
        }
        return Optional.empty();
    }

    private static Document parse(InputStream xml) throws IOException {
        try {
            // the JDK's own parser, whatever a thread context class loader offers
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            // a metatype document needs no DTD and no external entities
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            return builder.parse(xml);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not a metatype document: " + e.getMessage(), e);
        }
    }

    private static String localName(Element element) {
        return element.getLocalName() != null ? element.getLocalName() : element.getTagName();
    }

    private static String attribute(Element element, String name) {
        String value = element.getAttribute(name);
        return value.isBlank() ? null : value.trim();
    }
}
