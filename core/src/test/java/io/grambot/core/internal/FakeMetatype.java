package io.grambot.core.internal;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Hand-made Metatype definitions, as the Felix Metatype service would return them. */
final class FakeMetatype {

    private FakeMetatype() {}

    /** An attribute definition; change it with the withers. */
    record Ad(String id, String name, String description, int type, int cardinality, String[] defaults,
            boolean required, String[] optionLabels, String[] optionValues) implements AttributeDefinition {

        static Ad of(String id, int type) {
            return new Ad(id, id + " name", id + " description", type, 0, null, true, null, null);
        }

        Ad defaults(String... values) {
            return new Ad(id, name, description, type, cardinality, values, required, optionLabels, optionValues);
        }

        Ad optional() {
            return new Ad(id, name, description, type, cardinality, defaults, false, optionLabels, optionValues);
        }

        Ad cardinality(int n) {
            return new Ad(id, name, description, type, n, defaults, required, optionLabels, optionValues);
        }

        Ad options(String[] labels, String[] values) {
            return new Ad(id, name, description, type, cardinality, defaults, required, labels, values);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public int getCardinality() {
            return cardinality;
        }

        @Override
        public int getType() {
            return type;
        }

        @Override
        public String[] getOptionValues() {
            return optionValues;
        }

        @Override
        public String[] getOptionLabels() {
            return optionLabels;
        }

        @Override
        public String validate(String value) {
            return null;
        }

        @Override
        public String[] getDefaultValue() {
            return defaults;
        }
    }

    /** An object class definition holding the given attributes. */
    record Ocd(String id, String name, String description, List<Ad> ads) implements ObjectClassDefinition {

        static Ocd of(String id, Ad... ads) {
            return new Ocd(id, id + " settings", "What " + id + " does.", List.of(ads));
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getID() {
            return id;
        }

        @Override
        public String getDescription() {
            return description;
        }

        @Override
        public AttributeDefinition[] getAttributeDefinitions(int filter) {
            List<AttributeDefinition> selected = new ArrayList<>();
            for (Ad ad : ads) {
                if (filter == ALL || (filter == REQUIRED) == ad.required()) {
                    selected.add(ad);
                }
            }
            return selected.isEmpty() ? null : selected.toArray(new AttributeDefinition[0]);
        }

        @Override
        public InputStream getIcon(int size) {
            return null;
        }
    }
}
