package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.StoreNames;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every key-value backend must do, the same way: one subclass per backend opens it. Store names carry a
 * random suffix, so backends shared between runs (Redis) never see another run's data.
 */
public abstract class KeyValueStoreContractTest {
  protected static Vertx vertx;
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  protected final Set<String> usedNames = new HashSet<>();

  /** Opens the backend: empty before the first call of a test, holding what was written when called again. */
  protected abstract void open() throws Exception;

  protected abstract void close() throws Exception;

  /** The store called {@code name} in the open backend. */
  protected abstract KeyValueStore store(String name);

  /** After the test, once closed: removes what it left behind. */
  protected void cleanUp() throws Exception {
  }

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void openBackend() throws Exception {
    open();
  }

  @AfterEach
  void closeBackend() throws Exception {
    close();
    cleanUp();
  }

  /** A store of this test run. */
  protected KeyValueStore named(String name) {
    String full = name + "-" + run;
    usedNames.add(full);
    return store(full);
  }

  static JsonObject nested() {
    return new JsonObject()
        .put("name", "Привет, мир 👋 \"quoted\" \\ back")
        .put("int", 42)
        .put("long", 9_007_199_254_740_993L)
        .put("negative", -17)
        .put("decimal", 3.25)
        .put("flag", true)
        .putNull("nothing")
        .put("list", new JsonArray().add(1).add("two").addNull().add(new JsonObject().put("deep", new JsonArray().add(false))))
        .put("object", new JsonObject().put("a", new JsonObject().put("b", new JsonObject().put("c", "ü"))));
  }

  @Test
  void aMissingKeyIsNull() {
    assertNull(await(named("scores").get("nobody")));
  }

  @Test
  void nestedJsonRoundTrips() {
    KeyValueStore s = named("scores");
    await(s.put("user/42 ключ", nested()));
    assertEquals(nested(), await(s.get("user/42 ключ")));
  }

  @Test
  void aPutOverwritesAndADeleteSaysWhetherThereWasAValue() {
    KeyValueStore s = named("scores");
    await(s.put("k", new JsonObject().put("v", 1)));
    await(s.put("k", new JsonObject().put("v", 2).put("more", "x")));
    assertEquals(new JsonObject().put("v", 2).put("more", "x"), await(s.get("k")));
    assertTrue(await(s.delete("k")));
    assertNull(await(s.get("k")));
    assertFalse(await(s.delete("k")));
    assertFalse(await(s.delete("never")));
  }

  @Test
  void listingByPrefixIsInKeyOrderAndPages() {
    KeyValueStore s = named("items");
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      keys.add(String.format("item-%03d", i));
    }
    keys.addAll(List.of("item-B", "item-a", "item-é", "item-9x", "item-"));
    List<String> others = List.of("item", "iteM-1", "items", "item.1", "zeta", "a");
    List<String> all = new ArrayList<>(keys);
    all.addAll(others);
    Collections.shuffle(all, new Random(7));
    for (String k : all) {
      await(s.put(k, new JsonObject().put("key", k)));
    }
    List<String> expected = new ArrayList<>(keys);
    Collections.sort(expected);

    List<String> paged = new ArrayList<>();
    String after = null;
    int pages = 0;
    while (true) {
      List<KeyValueStore.Entry> page = await(s.list("item-", after, 10));
      pages++;
      page.forEach(e -> assertEquals(new JsonObject().put("key", e.key()), e.value()));
      page.forEach(e -> paged.add(e.key()));
      if (page.size() < 10) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    assertEquals(expected, paged);
    assertEquals(3, pages);
    assertEquals(expected, await(s.list("item-")).stream().map(KeyValueStore.Entry::key).toList());

    List<String> everything = new ArrayList<>(all);
    Collections.sort(everything);
    assertEquals(everything, await(s.list("")).stream().map(KeyValueStore.Entry::key).toList());
    assertEquals(everything.subList(0, 4), await(s.list("", null, 4)).stream().map(KeyValueStore.Entry::key).toList());
    // an afterKey before the prefix starts at the prefix; one past its end finds nothing
    assertEquals(expected.subList(0, 5), await(s.list("item-", "a", 5)).stream().map(KeyValueStore.Entry::key).toList());
    assertEquals(List.of(), await(s.list("item-", "item-é", 5)));
    assertEquals(List.of(), await(s.list("nothing-here", null, 5)));
  }

  @Test
  void storesWithTheSameKeysDoNotSeeEachOther() {
    KeyValueStore a = named("ab");
    KeyValueStore b = named("ab-c");
    KeyValueStore runtime = named("splitbot.ab");
    await(a.put("k", new JsonObject().put("in", "a")));
    await(b.put("k", new JsonObject().put("in", "b")));
    await(b.put("k2", new JsonObject().put("in", "b")));
    await(runtime.put("k", new JsonObject().put("in", "runtime")));
    assertEquals("a", await(a.get("k")).getString("in"));
    assertEquals("b", await(b.get("k")).getString("in"));
    assertEquals("runtime", await(runtime.get("k")).getString("in"));
    assertEquals(List.of("k"), await(a.list("")).stream().map(KeyValueStore.Entry::key).toList());
    assertEquals(List.of("k", "k2"), await(b.list("k")).stream().map(KeyValueStore.Entry::key).toList());
    assertTrue(await(a.delete("k")));
    assertNull(await(a.get("k")));
    assertEquals("b", await(b.get("k")).getString("in"));
    assertEquals("runtime", await(runtime.get("k")).getString("in"));
  }

  @Test
  void badNamesAndKeysAreRefusedBeforeAnyIo() {
    for (String bad : new String[] {null, "", "Upper", "with space", "a/b", "x".repeat(65), "ключ"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store(bad), "name " + bad);
      assertTrue(e.getMessage().contains("1 to 64"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> StoreNames.checkBotName("splitbot.sessions"));
    assertEquals("my_store-1", StoreNames.checkBotName("my_store-1"));

    KeyValueStore s = named("checked");
    // thrown by the call itself, not by a future: nothing reached the backend
    for (String bad : new String[] {null, "", "x".repeat(201), "a\nb", "tab\there", "nul\u0000"}) {
      assertThrows(IllegalArgumentException.class, () -> s.get(bad), "get " + bad);
      assertThrows(IllegalArgumentException.class, () -> s.put(bad, new JsonObject()), "put " + bad);
      assertThrows(IllegalArgumentException.class, () -> s.delete(bad), "delete " + bad);
      if (bad != null) {
        assertThrows(IllegalArgumentException.class, () -> s.list("", bad, 10), "list after " + bad);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> s.put("k", null));
    assertThrows(IllegalArgumentException.class, () -> s.list("", null, 0));
    await(s.put("x".repeat(200), new JsonObject().put("longest", true)));
    assertEquals(List.of("x".repeat(200)), await(s.list("")).stream().map(KeyValueStore.Entry::key).toList());
  }

  @Test
  void valuesSurviveACloseAndReopen() throws Exception {
    await(named("kept").put("a", nested()));
    await(named("kept").put("b", new JsonObject().put("n", 1)));
    await(named("kept").put("c", new JsonObject()));
    await(named("kept").delete("c"));
    close();
    open();
    assertEquals(nested(), await(named("kept").get("a")));
    assertEquals(List.of("a", "b"), await(named("kept").list("")).stream().map(KeyValueStore.Entry::key).toList());
  }
}
