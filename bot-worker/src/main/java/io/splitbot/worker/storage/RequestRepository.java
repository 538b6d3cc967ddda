package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.ServiceRequest;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Service requests. The multi-record operations (create, changeStatus, assign) are atomic in every backend that
 * can be: PostgreSQL uses one transaction, the JSON store one file write; Airtable writes the request first and its
 * history entry second (see docs/STORAGE.md).
 */
public interface RequestRepository {
  /**
   * Stores a new request and its first history entry (null → its status, by the requester).
   * Fails with {@link DuplicateKeyException} when the number exists.
   */
  Future<ServiceRequest> create(ServiceRequest request);

  Future<Optional<ServiceRequest>> find(String number);

  /**
   * Replaces the editable fields (title, description, address, apartment, category, priority, phone,
   * contact_name, is_emergency, estimated_cost, preferred_time). Number, requester, status, executor and
   * created_at are kept; updated_at is set to now. Fails with {@link NotFoundException}.
   */
  Future<ServiceRequest> update(ServiceRequest request);

  /**
   * Compare-and-set of the status with its history entry. Fails with {@link ConflictException} when the current
   * status is not {@code expectedFrom}, {@link NotFoundException} when there is no such request. Which transitions
   * are allowed is the bot's rule, not the storage's.
   */
  Future<ServiceRequest> changeStatus(String number, String expectedFrom, String to, long changedBy);

  /** Sets the executor and records the assignment. Fails with {@link NotFoundException}. */
  Future<ServiceRequest> assign(String number, long executorId, long assignedBy);

  /**
   * Case-insensitive search of {@code text} in number, title, description, address and contact_name; either
   * argument may be null or blank for "any". Newest first (created_at, then number, descending).
   */
  Future<Page<ServiceRequest>> search(String text, String status, int page, int size);

  /** A requester's requests, newest first. */
  Future<Page<ServiceRequest>> listByRequester(long requesterId, int page, int size);

  /** The requests an executor is currently assigned to, newest first. */
  Future<Page<ServiceRequest>> listByExecutor(long executorId, int page, int size);
}
