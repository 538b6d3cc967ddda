package io.splitbot.shared.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Log fields follow their work across timers, event-bus replies and futures, and never leak to other work. */
@ExtendWith(VertxExtension.class)
class LogContextTest {

  @Test
  void fieldsSurviveHopsAndInterleavedWorkKeepsItsOwn(Vertx vertx) throws Exception {
    vertx.eventBus().<JsonObject>consumer("echo", msg -> vertx.setTimer(5, t -> msg.reply(msg.body())));
    List<String> seen = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> {
      Future<Void> a = LogContext.with(LogContext.update("1", "100"), () -> chain(vertx, seen, "1"));
      Future<Void> b = LogContext.with(LogContext.update("2", "200"), () -> chain(vertx, seen, "2"));
      seen.add("outside:" + LogContext.current());
      Future.all(a, b).onComplete(ar -> {
        seen.add("after:" + LogContext.current());
        done.handle(ar.mapEmpty());
      });
    });
    done.future().await(10, TimeUnit.SECONDS);
    for (String step : List.of("start", "timer", "reply", "compose")) {
      assertTrue(seen.contains("1:" + step + ":" + LogContext.update("1", "100")), seen.toString());
      assertTrue(seen.contains("2:" + step + ":" + LogContext.update("2", "200")), seen.toString());
    }
    assertTrue(seen.contains("outside:{}"), "the caller's own context never gets the fields: " + seen);
  }

  /** One piece of work: a timer, an event-bus round trip, a composed future; it records the fields at each step. */
  private static Future<Void> chain(Vertx vertx, List<String> seen, String who) {
    seen.add(who + ":start:" + LogContext.current());
    return vertx.timer(10, TimeUnit.MILLISECONDS)
        .compose(t -> {
          seen.add(who + ":timer:" + LogContext.current());
          return vertx.eventBus().<JsonObject>request("echo", new JsonObject().put("who", who));
        })
        .compose(reply -> {
          seen.add(who + ":reply:" + LogContext.current());
          return Future.succeededFuture();
        })
        .map(v -> {
          seen.add(who + ":compose:" + LogContext.current());
          return null;
        });
  }

  @Test
  void aFieldPutWhileAnHttpRequestIsHandledStaysWithThatRequest(Vertx vertx) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    var server = vertx.createHttpServer().requestHandler(req -> {
      String id = req.getParam("id");
      LogContext.put(LogContext.UPDATE_ID, id);
      vertx.timer(20, TimeUnit.MILLISECONDS).onComplete(t -> {
        seen.add(id + "=" + LogContext.current().get(LogContext.UPDATE_ID));
        req.response().end();
      });
    }).listen(0, "127.0.0.1").await();
    var client = vertx.createHttpClient();
    Future.all(List.of(1, 2, 3).stream().map(i -> client.request(io.vertx.core.http.HttpMethod.GET, server.actualPort(),
        "127.0.0.1", "/?id=" + i).compose(r -> r.send()).compose(r -> r.body())).toList()).await(10, TimeUnit.SECONDS);
    assertEquals(java.util.Set.of("1=1", "2=2", "3=3"), java.util.Set.copyOf(seen), "each request keeps its own field");
    vertx.runOnContext(v -> seen.add("loop=" + LogContext.current()));
    Thread.sleep(100);
    assertTrue(seen.contains("loop={}"), "nothing leaks to the event loop's own context: " + seen);
  }

  @Test
  void boundWorkStartedByOtherWorkRunsUnderItsOwnFields(Vertx vertx) throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> {
      // "queued" is bound in update 7's context and started later from update 8's callback (as the chat queue does).
      java.util.function.Supplier<Future<Void>>[] queued = new java.util.function.Supplier[1];
      LogContext.with(LogContext.update("7", "70"), () -> {
        queued[0] = LogContext.bind(() -> {
          seen.add("queued:" + LogContext.current().get("update_id"));
          return Future.succeededFuture();
        });
        return Future.succeededFuture();
      });
      LogContext.with(LogContext.update("8", "80"), () -> vertx.timer(5, TimeUnit.MILLISECONDS).compose(t -> {
        seen.add("starter:" + LogContext.current().get("update_id"));
        return queued[0].get().onComplete(ar -> seen.add("back:" + LogContext.current().get("update_id")));
      })).onComplete(ar -> done.complete());
    });
    done.future().await(10, TimeUnit.SECONDS);
    assertEquals(List.of("starter:8", "queued:7", "back:8"), seen);
  }
}
