package io.splitbot.tests.storage;

import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.storage.StorageConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Environment that points the airtable backend at a {@link FakeAirtableApi}. */
public final class AirtableEnv {
  /** The default table names (AIRTABLE_TABLE_* unset). */
  public static final List<String> TABLES = StorageConfig.AIRTABLE_TABLE_VARS.values().stream().map(v -> v[1]).toList();

  private AirtableEnv() {
  }

  public static Map<String, String> env(FakeAirtableApi api) {
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE_BACKEND", "airtable");
    env.put("AIRTABLE_TOKEN", FakeAirtableApi.TOKEN);
    env.put("AIRTABLE_BASE_ID", FakeAirtableApi.BASE);
    env.put("AIRTABLE_API_URL", api.url());
    env.put("AIRTABLE_RETRY_AFTER_429", "600ms");
    env.put("AIRTABLE_TIMEOUT", "10s");
    return env;
  }
}
