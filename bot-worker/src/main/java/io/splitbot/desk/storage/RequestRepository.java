package io.splitbot.desk.storage;

import static io.splitbot.desk.storage.DeskKinds.REQUESTS;

import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Service requests. The multi-record operations (create, changeStatus, assign) are one {@link Storage#apply}
 * each: one transaction in PostgreSQL, one file write in the JSON store, the request first and its history entry
 * second in Airtable (see docs/STORAGE.md).
 */
public final class RequestRepository {
  /** The fields a search looks in. */
  static final List<String> SEARCHED = List.of("number", "title", "description", "address", "contact_name");

  private final Storage storage;

  RequestRepository(Storage storage) {
    this.storage = storage;
  }

  /**
   * Stores a new request and its first history entry (null → its status, by the requester).
   * Fails with {@link DuplicateKeyException} when the number exists.
   */
  public Future<ServiceRequest> create(ServiceRequest r) {
    return storage.update(List.of(Tx.ref(REQUESTS, r.number())), tx -> {
      if (tx.get(REQUESTS, r.number()) != null) {
        throw new DuplicateKeyException("request", r.number());
      }
      tx.insert(REQUESTS, r);
      tx.insert(DeskKinds.STATUS_HISTORY, StatusChange.create(r.number(), null, r.status(), r.requesterId(), r.createdAt()));
      return r;
    });
  }

  public Future<Optional<ServiceRequest>> find(String number) {
    return storage.records(REQUESTS).get(number).map(Optional::ofNullable);
  }

  /**
   * Replaces the editable fields (title, description, address, apartment, category, priority, phone,
   * contact_name, is_emergency, estimated_cost, preferred_time). Number, requester (and platform), status, executor and
   * created_at are kept; updated_at is set to now. Fails with {@link NotFoundException}.
   */
  public Future<ServiceRequest> update(ServiceRequest changes) {
    return change(changes.number(), existing -> existing.toBuilder()
        .title(changes.title())
        .description(changes.description())
        .address(changes.address())
        .apartment(changes.apartment())
        .category(changes.category())
        .priority(changes.priority())
        .phone(changes.phone())
        .contactName(changes.contactName())
        .isEmergency(changes.isEmergency())
        .estimatedCost(changes.estimatedCost())
        .preferredTime(changes.preferredTime())
        .updatedAt(Values.bump(existing.updatedAt()))
        .build(), null, null);
  }

  /**
   * Compare-and-set of the status with its history entry. Fails with {@link ConflictException} when the current
   * status is not {@code expectedFrom}, {@link NotFoundException} when there is no such request. Which transitions
   * are allowed is the bot's rule, not the storage's.
   */
  public Future<ServiceRequest> changeStatus(String number, String expectedFrom, String to, long changedBy) {
    try {
      ServiceRequest.checkStatus(to);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return change(number, existing -> {
      if (!existing.status().equals(expectedFrom)) {
        throw new ConflictException("request " + number + " is " + existing.status() + ", not " + expectedFrom);
      }
      return existing.withStatus(to, Values.bump(existing.updatedAt()));
    }, DeskKinds.STATUS_HISTORY, updated -> StatusChange.create(number, expectedFrom, to, changedBy, updated.updatedAt()));
  }

  /**
   * Sets the executor and records the assignment (whose history keeps the ids only). Fails with
   * {@link NotFoundException}.
   */
  public Future<ServiceRequest> assign(String number, UserRef executor, long assignedBy) {
    return change(number, existing -> existing.withExecutor(executor, Values.bump(existing.updatedAt())),
        DeskKinds.ASSIGNMENTS, updated -> Assignment.create(number, executor.id(), assignedBy, updated.updatedAt()));
  }

  /**
   * The request as {@code edit} changes it, then the child entry made from the result (when {@code childKind} is
   * given), in that order; NotFound when there is no such request.
   */
  private <C> Future<ServiceRequest> change(String number, Function<ServiceRequest, ServiceRequest> edit,
      Kind<C> childKind, Function<ServiceRequest, C> child) {
    return storage.update(List.of(Tx.ref(REQUESTS, number)), tx -> {
      ServiceRequest existing = tx.get(REQUESTS, number);
      if (existing == null) {
        throw new NotFoundException("request", number);
      }
      ServiceRequest updated = edit.apply(existing);
      tx.put(REQUESTS, updated);
      if (childKind != null) {
        tx.insert(childKind, child.apply(updated));
      }
      return updated;
    });
  }

  /**
   * Case-insensitive search of {@code text} in number, title, description, address and contact_name; either
   * argument may be null or blank for "any". Newest first (created_at, then number, descending).
   */
  public Future<Page<ServiceRequest>> search(String text, String status, int page, int size) {
    Query q = Query.all().contains(text, SEARCHED);
    if (status != null && !status.isBlank()) {
      q = q.eq("status", status.trim());
    }
    return newest(q, page, size);
  }

  /** A requester's requests, newest first. */
  public Future<Page<ServiceRequest>> listByRequester(UserRef requester, int page, int size) {
    return newest(Query.all().eq("requester_id", requester.id()).eq("requester_platform", requester.platform()), page, size);
  }

  /** The requests an executor is currently assigned to, newest first. */
  public Future<Page<ServiceRequest>> listByExecutor(UserRef executor, int page, int size) {
    return newest(Query.all().eq("executor_id", executor.id()).eq("executor_platform", executor.platform()), page, size);
  }

  private Future<Page<ServiceRequest>> newest(Query q, int page, int size) {
    return storage.records(REQUESTS).page(q.orderBy("created_at", true).orderBy("number", true), page, size);
  }
}
