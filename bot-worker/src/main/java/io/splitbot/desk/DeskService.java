package io.splitbot.desk;

import io.splitbot.desk.DeskException.Kind;
import io.splitbot.desk.numbering.RequestNumbers;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Storage;
import io.splitbot.desk.storage.Assignment;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The service desk's rules, shared by the bot and the internal API: creating requests under a fresh number,
 * editing, comments, status changes along {@link StatusFlow}, assignments, and the listings. Permissions are checked
 * here ({@link Roles}), so every way in obeys the same rules. Refusals are {@link DeskException}s.
 *
 * <p>Every write can be repeated safely, which is what lets a handler run again after a crash: a creation finds its
 * own request under its reserved number, a comment has a caller-chosen id, and a status change or assignment that
 * is already in place is reported rather than done twice.
 */
public final class DeskService {
  /** How often a create takes the next number after finding its number taken by another request. */
  static final int MAX_NUMBER_RETRIES = 10;

  private final Storage storage;
  private final DeskStorage data;
  private final RequestNumbers numbers;

  public DeskService(Storage storage, RequestNumbers numbers) {
    this.storage = storage;
    this.data = new DeskStorage(storage);
    this.numbers = numbers;
  }

  public Storage storage() {
    return storage;
  }

  // ------------------------------------------------------------------ creating

  /** The number a creation holds, with the creation time it will be stored with. */
  public record Reserved(String number, Instant createdAt) {
  }

  /**
   * Where a creation keeps its number between attempts. The conversation keeps it in its state, so a handler that
   * runs again reuses the number instead of taking a second one.
   */
  public interface Reservation {
    /** The number held, reserving one first when none is. */
    Future<Reserved> current();

    /** The held number belongs to another request: reserve the next one. */
    Future<Reserved> renew();
  }

  /** A reservation held only for the duration of one call (the internal API's create). */
  public Reservation transientReservation() {
    return new Reservation() {
      private Reserved held;

      @Override
      public Future<Reserved> current() {
        return held != null ? Future.succeededFuture(held) : renew();
      }

      @Override
      public Future<Reserved> renew() {
        return numbers.next().map(n -> held = new Reserved(n, Values.now()));
      }
    };
  }

  public Future<String> nextNumber() {
    return numbers.next();
  }

  /**
   * Stores a new request under the reserved number. If that number is already taken by this same creation (a
   * repeat after a crash), the stored request is the result; if another request has it, the next number is reserved
   * and the create tried again.
   */
  public Future<ServiceRequest> create(RequestDraft draft, UserRef requester, Reservation reservation) {
    return reservation.current().compose(r -> createUnder(draft, requester, reservation, r, 0));
  }

  private Future<ServiceRequest> createUnder(RequestDraft draft, UserRef requester, Reservation reservation,
      Reserved reserved, int retries) {
    ServiceRequest request = draft.toRequest(reserved.number(), requester, reserved.createdAt()).build();
    return data.requests().create(request).recover(e -> {
      if (!(e instanceof DuplicateKeyException)) {
        return Future.failedFuture(e);
      }
      return data.requests().find(reserved.number()).compose(existing -> {
        if (existing.isPresent() && sameCreation(existing.get(), request)) {
          return Future.succeededFuture(existing.get());
        }
        if (retries >= MAX_NUMBER_RETRIES) {
          return Future.failedFuture(e);
        }
        return reservation.renew().compose(next -> createUnder(draft, requester, reservation, next, retries + 1));
      });
    });
  }

  private static boolean sameCreation(ServiceRequest stored, ServiceRequest attempt) {
    return stored.requester().equals(attempt.requester())
        && stored.createdAt().equals(attempt.createdAt())
        && stored.title().equals(attempt.title());
  }

  // ------------------------------------------------------------------ reading

  /** The request, or a NOT_FOUND refusal. */
  public Future<ServiceRequest> get(String number) {
    if (number == null || !ServiceRequest.NUMBER.matcher(number).matches()) {
      return Future.failedFuture(DeskException.notFound(String.valueOf(number)));
    }
    return data.requests().find(number).compose(found -> found.isPresent()
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(DeskException.notFound(number)));
  }

  /** The request if {@code actor} may see it: NOT_FOUND or FORBIDDEN otherwise. */
  public Future<ServiceRequest> view(String number, Actor actor) {
    return get(number).compose(r -> Roles.canView(r, actor)
        ? Future.succeededFuture(r)
        : Future.failedFuture(DeskException.of(Kind.FORBIDDEN, "request.no_access", "number", number)));
  }

  public Future<List<Comment>> comments(String number) {
    return data.comments().list(number);
  }

  public Future<List<StatusChange>> history(String number) {
    return data.history().statusHistory(number);
  }

  public Future<List<Assignment>> assignments(String number) {
    return data.history().assignments(number);
  }

  public Future<Page<ServiceRequest>> filedBy(UserRef requester, int page, int size) {
    return data.requests().listByRequester(requester, page, size);
  }

  public Future<Page<ServiceRequest>> assignedTo(UserRef executor, int page, int size) {
    return data.requests().listByExecutor(executor, page, size);
  }

  /** Every request matching {@code text} (number, title, description, address, contact) and status; newest first. */
  public Future<Page<ServiceRequest>> search(String text, String status, int page, int size) {
    return data.requests().search(text, status, page, size);
  }

  /** Cap on the matches a non-admin's search looks through before keeping the ones they may see. */
  static final int OWN_SEARCH_SCAN = 1000;

  /**
   * A search as {@code actor} may see it: admins see every match, others the requests they filed or are assigned.
   */
  public Future<Page<ServiceRequest>> searchVisible(Actor actor, String text, int page, int size) {
    if (actor.admin()) {
      return search(text, null, page, size);
    }
    return search(text, null, 0, OWN_SEARCH_SCAN)
        .map(all -> Page.slice(all.items().stream().filter(r -> Roles.canView(r, actor)).toList(), page, size));
  }

  // ------------------------------------------------------------------ changing

  /**
   * Replaces the given fields (a null leaves the field as it is). The requester, an admin or the API may edit.
   */
  public Future<ServiceRequest> update(String number, Map<String, Object> changes, Actor actor) {
    return get(number).compose(current -> {
      if (!(actor.admin() || Roles.isRequester(current, actor))) {
        return Future.failedFuture(DeskException.of(Kind.FORBIDDEN, "request.no_access", "number", number));
      }
      ServiceRequest.Builder b = current.toBuilder();
      changes.forEach((field, value) -> apply(b, field, value));
      return data.requests().update(b.build());
    });
  }

  private static void apply(ServiceRequest.Builder b, String field, Object v) {
    switch (field) {
      case "title" -> b.title((String) v);
      case "description" -> b.description((String) v);
      case "address" -> b.address((String) v);
      case "apartment" -> b.apartment((String) v);
      case "category" -> b.category((String) v);
      case "priority" -> b.priority((String) v);
      case "phone" -> b.phone((String) v);
      case "contact_name" -> b.contactName((String) v);
      case "is_emergency" -> b.isEmergency((Boolean) v);
      case "estimated_cost" -> b.estimatedCost((java.math.BigDecimal) v);
      case "preferred_time" -> b.preferredTime((Instant) v);
      default -> throw new IllegalArgumentException("not an editable field: " + field);
    }
  }

  /** What a status change did: {@code changed} is false when the request already had that status. */
  public record StatusResult(ServiceRequest request, String from, String to, boolean changed) {
  }

  /**
   * Moves the request to {@code to}. {@code expectedFrom} (the status a button showed; null from the API) guards
   * against stale buttons: when the request has moved on, the change is refused as STALE. When {@code resuming} (a
   * handler finishing a run that crashed in the middle of this very change), a request that moved exactly there by
   * this same actor is this change, done before, and is reported as done.
   */
  public Future<StatusResult> changeStatus(String number, String expectedFrom, String to, Actor actor, boolean resuming) {
    return get(number).compose(current -> {
      if (!Roles.canChangeStatus(current, actor)) {
        return Future.failedFuture(DeskException.of(Kind.FORBIDDEN, "status.forbidden", "number", number));
      }
      String from = current.status();
      if (expectedFrom != null && !expectedFrom.equals(from)) {
        Future<Boolean> mine = resuming ? ownEarlierChange(number, expectedFrom, to, actor) : Future.succeededFuture(false);
        return mine.compose(own -> own
            ? Future.succeededFuture(new StatusResult(current, expectedFrom, to, true))
            : Future.failedFuture(DeskException.of(Kind.STALE, "status.stale", "number", number)));
      }
      if (from.equals(to)) {
        return Future.succeededFuture(new StatusResult(current, from, to, false));
      }
      if (!StatusFlow.allowed(from, to)) {
        return Future.failedFuture(DeskException.of(Kind.ILLEGAL_TRANSITION, "status.illegal", "from", from, "to", to));
      }
      return data.requests().changeStatus(number, from, to, actor.userId())
          .map(updated -> new StatusResult(updated, from, to, true))
          .recover(e -> e instanceof ConflictException
              ? Future.failedFuture(DeskException.of(Kind.STALE, "status.stale", "number", number))
              : Future.failedFuture(e));
    });
  }

  private Future<Boolean> ownEarlierChange(String number, String from, String to, Actor actor) {
    return data.history().statusHistory(number).map(h -> {
      if (h.isEmpty()) {
        return false;
      }
      StatusChange last = h.get(h.size() - 1);
      return Objects.equals(last.fromStatus(), from) && last.toStatus().equals(to) && last.changedBy() == actor.userId();
    });
  }

  /** What an assignment did: {@code changed} is false when that executor already had the request. */
  public record AssignResult(ServiceRequest request, boolean changed) {
  }

  /**
   * Makes {@code executor} the request's executor (admins and the API only). Assigning the current executor again
   * changes nothing, unless {@code resuming} and the last assignment is this very one by this actor: then it is
   * reported as done, so a handler that runs again still notifies the executor.
   */
  public Future<AssignResult> assign(String number, UserRef executor, Actor actor, boolean resuming) {
    if (!Roles.canAssign(actor)) {
      return Future.failedFuture(DeskException.of(Kind.FORBIDDEN, "assign.admins_only"));
    }
    long executorId = executor.id();
    if (executorId <= 0) {
      return Future.failedFuture(DeskException.invalid(Map.of("executor_id", new DeskException.FieldError("error.executor_id"))));
    }
    return get(number).compose(current -> {
      if (executor.equals(current.executor())) {
        if (!resuming) {
          return Future.succeededFuture(new AssignResult(current, false));
        }
        return data.history().assignments(number).map(list -> {
          Assignment last = list.isEmpty() ? null : list.get(list.size() - 1);
          boolean mine = last != null && last.executorId() == executorId && last.assignedBy() == actor.userId();
          return new AssignResult(current, mine);
        });
      }
      return data.requests().assign(number, executor, actor.userId())
          .map(updated -> new AssignResult(updated, true));
    });
  }

  /**
   * Adds a comment under a caller-chosen id (the bot derives it from the update, so a repeat adds nothing).
   */
  public Future<CommentResult> comment(String number, Actor author, String text, String commentId) {
    RequestFields.Checked checked = RequestFields.comment(text);
    if (!checked.ok()) {
      Map<String, DeskException.FieldError> errors = new LinkedHashMap<>();
      errors.put("text", checked.error());
      return Future.failedFuture(DeskException.invalid(errors));
    }
    return get(number).compose(request -> {
      if (!(author.system() || Roles.canComment(request, author))) {
        return Future.failedFuture(DeskException.of(Kind.FORBIDDEN, "comment.forbidden", "number", number));
      }
      Comment comment = new Comment(commentId, number, author.platform(), author.userId(), checked.value(), null);
      return data.comments().add(comment).map(c -> new CommentResult(request, c));
    }).recover(e -> e instanceof NotFoundException
        ? Future.failedFuture(DeskException.notFound(number))
        : Future.failedFuture(e));
  }

  public record CommentResult(ServiceRequest request, Comment comment) {
  }
}
