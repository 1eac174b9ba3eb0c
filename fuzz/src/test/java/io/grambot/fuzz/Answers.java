package io.grambot.fuzz;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Hostile answers as a whole: mostly 200, sometimes an error status, a wrong content type or a strange Retry-After. */
public final class Answers {

    private Answers() {}

    public static Arbitrary<FakeServer.Answer> of(Arbitrary<Hostile.Body> bodies, String contentType) {
        Arbitrary<Integer> status = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(200)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(201, 204, 301, 400, 401, 403, 404, 408, 413, 429, 500, 502,
                        503, 529, 599)));
        Arbitrary<String> type = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(contentType)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("text/html", "application/octet-stream", "text/plain; charset=x",
                        "application/json; charset=utf-16", "")));
        Arbitrary<String> retryAfter = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("0", "-5", "999999999999", "soon", "Wed, 21 Oct 2015 07:28:00 GMT")));
        return Combinators.combine(status, type, bodies, retryAfter).as(FakeServer.Answer::new);
    }
}
