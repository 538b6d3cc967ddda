package io.splitbot.shared.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership of one edge or worker: it publishes a heartbeat ({@link Member}) every {@link #BEAT_MS} on
 * {@link #HEARTBEAT}, keeps every member's last heartbeat ({@link MemberView}) and forgets one that missed
 * {@link #MISSED_BEATS}. A member answers its role's ping address (what the start-up check asks) and its own address
 * ({@link #address}) with its details, for the figures of one member in particular (an edge's counters).
 *
 * <p>A member whose state is its own (a worker without REDIS_URL, an edge with SPOOL=file) on a clustered bus asks
 * its role's ping address before it joins, and the join fails with a {@link Refusal} when anyone answers. Two that
 * start in the same instant both find no one; the heartbeats then show each to the other, and the one that
 * {@link Member#mustStopFor must stop} is handed to {@link Refusal#onLate}.
 */
public final class Members {
  public static final String HEARTBEAT = "splitbot.members.heartbeat";
  public static final long BEAT_MS = 2_000;
  public static final int MISSED_BEATS = 3;
  static final long PING_TIMEOUT_MS = 1_500;
  private static final Logger log = LoggerFactory.getLogger(Members.class);

  private final Vertx vertx;
  private final Member self;
  private final IntSupplier inFlight;
  private final Supplier<Future<JsonObject>> details;
  // Half a beat of slack, so a heartbeat that is a little late does not count as missed.
  private final MemberView view = new MemberView(MISSED_BEATS * BEAT_MS + BEAT_MS / 2);
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private MessageConsumer<JsonObject> heartbeats;
  private long timer = -1;
  private boolean refused;
  private boolean left;

  private Members(Vertx vertx, Member self, IntSupplier inFlight, Supplier<Future<JsonObject>> details) {
    this.vertx = vertx;
    this.self = self;
    this.inFlight = inFlight;
    this.details = details;
  }

  /** The address every member of {@code role} answers at start-up checks: {@code splitbot.workers.ping}, {@code splitbot.edges.ping}. */
  public static String pingAddress(String role) {
    return "splitbot." + role + "s.ping";
  }

  /** One member's own address, answered with its details. */
  public static String address(Member member) {
    return "splitbot.members." + member.node() + "." + member.role();
  }

  /**
   * Joins the bus as {@code role}, before the caller registers the consumers of its role's work.
   *
   * @param shared whether several of the role can share this one's state; without it, and on a clustered bus, the
   *     join fails with a {@link Refusal} when another member of the role answers the ping
   * @param inFlight the member's updates in flight, sent with each heartbeat
   * @param details what the member's own address answers
   */
  public static Future<Members> join(Vertx vertx, String role, boolean shared, IntSupplier inFlight,
      Supplier<Future<JsonObject>> details) {
    return join(vertx, NodeId.of(vertx), role, shared, inFlight, details);
  }

  /** As a process with node id {@code node}: tests run several members on one bus. */
  static Future<Members> join(Vertx vertx, String node, String role, boolean shared, IntSupplier inFlight,
      Supplier<Future<JsonObject>> details) {
    Member self = new Member(node, role, System.currentTimeMillis(), 0, shared);
    Members members = new Members(vertx, self, inFlight, details);
    Future<Void> checked = shared || !vertx.isClustered() ? Future.succeededFuture() : anotherAnswers(vertx, role)
        .compose(found -> found ? Future.failedFuture(new Refusal(role)) : Future.succeededFuture());
    return checked.compose(v -> members.start()).map(members);
  }

  /** Any reply is another member of the role; NO_HANDLERS is none; a timeout is a member that left (its entry lingers). */
  private static Future<Boolean> anotherAnswers(Vertx vertx, String role) {
    return vertx.eventBus().request(pingAddress(role), new JsonObject(), new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .map(reply -> true)
        .recover(e -> {
          if (e instanceof ReplyException r && r.failureType() == ReplyFailure.TIMEOUT) {
            log.info("a {} registered on the bus did not answer the start-up ping; the heartbeats will tell", role);
          }
          return Future.succeededFuture(false);
        });
  }

  private Future<Void> start() {
    consumers.add(vertx.eventBus().consumer(pingAddress(self.role()), msg -> msg.reply(current().toJson())));
    heartbeats = vertx.eventBus().consumer(HEARTBEAT, this::onHeartbeat);
    consumers.add(heartbeats);
    consumers.add(vertx.eventBus().consumer(address(self), msg -> details.get().onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result().copy().put("member", current().toJson()));
      } else {
        msg.fail(503, "details not available");
      }
    })));
    view.heard(self, System.currentTimeMillis());
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList()).map(v -> {
      beat();
      timer = vertx.setPeriodic(BEAT_MS, id -> {
        beat();
        checkConflicts();
      });
      return null;
    });
  }

  private Member current() {
    return self.withInFlight(inFlight.getAsInt());
  }

  private void beat() {
    vertx.eventBus().publish(HEARTBEAT, current().toJson());
  }

  private void onHeartbeat(Message<JsonObject> msg) {
    Member member;
    try {
      member = Member.fromJson(msg.body());
    } catch (RuntimeException e) {
      return;
    }
    if (msg.body().getBoolean("leaving", false)) {
      view.left(member);
      return;
    }
    boolean isNew = view.heard(member, System.currentTimeMillis());
    if (isNew && !member.key().equals(self.key())) {
      beat(); // the newcomer learns of this member now rather than at its next beat
      checkConflicts();
    }
  }

  private void checkConflicts() {
    if (refused) {
      return;
    }
    for (MemberView.Seen seen : view.live(System.currentTimeMillis())) {
      if (self.mustStopFor(seen.member())) {
        refused = true;
        Refusal.late(vertx, Refusal.line(self.role()));
        return;
      }
    }
  }

  /** The live members, for health: role, node, in-flight count, shared and when each was last heard; no hosts. */
  public JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (MemberView.Seen seen : live()) {
      Member m = seen.member().key().equals(self.key()) ? current() : seen.member();
      out.add(m.toJson()
          .put("started_at", Instant.ofEpochMilli(m.startedAt()).toString())
          .put("last_seen", Instant.ofEpochMilli(seen.lastSeen()).toString()));
    }
    return out;
  }

  /** The live members, this one included. */
  public List<MemberView.Seen> live() {
    return view.live(System.currentTimeMillis());
  }

  /** The live members of {@code role}. */
  public List<Member> live(String role) {
    return live().stream().map(MemberView.Seen::member).filter(m -> m.role().equals(role)).toList();
  }

  /** Asks {@code member} at its own address for its details. */
  public Future<JsonObject> ask(Member member, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address(member), new JsonObject(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }

  public Member self() {
    return self;
  }

  /** Whether this member found it must stop (and handed that to {@link Refusal#onLate}). */
  boolean refused() {
    return refused;
  }

  /**
   * Leaves: the others forget this member at once, and it answers no more pings. A member leaves when it starts to
   * drain, so a process that replaces it is not refused for it; leaving again does nothing.
   */
  public Future<Void> leave() {
    if (left) {
      return Future.succeededFuture();
    }
    left = true;
    vertx.cancelTimer(timer);
    // Stop hearing heartbeats before saying goodbye: our own would otherwise reach a consumer that is going away,
    // which Vert.x reports as a discarded message.
    Future<Void> deaf = heartbeats == null ? Future.succeededFuture() : heartbeats.unregister();
    return deaf.eventually(() -> {
      vertx.eventBus().publish(HEARTBEAT, current().toJson().put("leaving", true));
      return Future.join(consumers.stream().filter(c -> c != heartbeats).map(MessageConsumer::unregister).toList());
    }).mapEmpty();
  }
}
