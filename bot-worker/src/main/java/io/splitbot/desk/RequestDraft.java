package io.splitbot.desk;

import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The fields of a request its author fills in, already checked by {@link RequestFields}: what the /new
 * conversation collects and what the internal API's create and update accept. Enumerations hold codes.
 */
public record RequestDraft(String title, String description, String address, String apartment, String category,
    String priority, String phone, String contactName, boolean isEmergency, BigDecimal estimatedCost,
    Instant preferredTime) {

  /** A new request with this content. */
  public ServiceRequest.Builder toRequest(String number, UserRef requester, Instant createdAt) {
    return ServiceRequest.builder()
        .number(number)
        .requester(requester)
        .title(title)
        .description(description)
        .address(address)
        .apartment(apartment)
        .category(category)
        .priority(priority)
        .phone(phone)
        .contactName(contactName)
        .isEmergency(isEmergency)
        .estimatedCost(estimatedCost)
        .preferredTime(preferredTime)
        .createdAt(createdAt);
  }
}
