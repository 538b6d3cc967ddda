package io.splitbot.tests.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server that behaves like the Airtable REST API where splitbot relies on it, and refuses what
 * Airtable refuses:
 * <ul>
 *   <li>{@code Authorization: Bearer <token>} is required (401 AUTHENTICATION_REQUIRED otherwise);</li>
 *   <li>unknown base or table: 404 with the bare-string error shape {@code {"error":"NOT_FOUND"}};</li>
 *   <li>more than 5 requests per second per base: 429, and every request keeps getting 429 for a penalty time
 *       (Airtable: 30 s; configurable here);</li>
 *   <li>list: {@code pageSize} over 100 is a 422; pages are chained with {@code offset}; {@code filterByFormula}
 *       is parsed and evaluated (string literals with backslash escapes, {@code {Field}} references, AND, OR, NOT,
 *       FIND, LOWER, comparisons, {@code &}); {@code sort[n][field]}, {@code maxRecords}, {@code fields[]};</li>
 *   <li>create and update: more than 10 records is a 422; {@code performUpsert.fieldsToMergeOn} creates, updates,
 *       or fails on several matches, and answers createdRecords/updatedRecords;</li>
 *   <li>like Airtable, empty values (null, "", false) are not stored and not returned.</li>
 * </ul>
 * Every formula received and every string literal decoded from it are recorded, for tests to assert on.
 */
public final class FakeAirtableApi implements AutoCloseable {
  public static final String TOKEN = "patFAKEtoken1234.0123456789abcdef0123456789abcdef";
  public static final String BASE = "appFAKEBASE00001";

  private final Vertx vertx;
  private HttpServer server;
  private final Map<String, Map<String, Rec>> tables = new LinkedHashMap<>();
  private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
  private long penaltyUntil;
  private long nextId = 1;
  private volatile int ratePerSecond = 5;
  private volatile long penaltyMs = 30_000;
  private volatile boolean down;

  private final List<String> formulas = new CopyOnWriteArrayList<>();
  private final List<String> stringLiterals = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger oneRecordLists = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger maxRecordsPerWrite = new AtomicInteger();
  private final AtomicInteger maxPageSize = new AtomicInteger();
  private final List<Integer> rejectedStatuses = new CopyOnWriteArrayList<>();

  private static final class Rec {
    final String id;
    final String createdTime;
    JsonObject fields;

    Rec(String id, String createdTime, JsonObject fields) {
      this.id = id;
      this.createdTime = createdTime;
      this.fields = fields;
    }

    JsonObject toJson(List<String> only) {
      JsonObject f = new JsonObject();
      for (String k : fields.fieldNames()) {
        if (only.isEmpty() || only.contains(k)) {
          f.put(k, fields.getValue(k));
        }
      }
      return new JsonObject().put("id", id).put("createdTime", createdTime).put("fields", f);
    }
  }

  private FakeAirtableApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Starts on a free port with the given tables (others answer 404). */
  public static Future<FakeAirtableApi> start(Vertx vertx, Collection<String> tableNames) {
    FakeAirtableApi api = new FakeAirtableApi(vertx);
    tableNames.forEach(t -> api.tables.put(t, new LinkedHashMap<>()));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.route("/v0/:base/:table").handler(api::handle);
    router.route().handler(ctx -> api.reply(ctx, 404, new JsonObject().put("error", "NOT_FOUND")));
    // Airtable takes URLs of up to 16,000 characters (a filterByFormula over 50 keys is long); Vert.x's default is 4096
    return vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setMaxInitialLineLength(16_384))
        .requestHandler(router).listen(0, "127.0.0.1").map(s -> {
      api.server = s;
      return api;
    });
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
  }

  // ---- knobs and observations for tests ----

  public FakeAirtableApi rateLimit(int perSecond, long penaltyMillis) {
    this.ratePerSecond = perSecond;
    this.penaltyMs = penaltyMillis;
    return this;
  }

  /** When down, every request gets 503 SERVICE_UNAVAILABLE. */
  public void down(boolean down) {
    this.down = down;
  }

  public List<String> formulas() {
    return formulas;
  }

  public List<String> stringLiterals() {
    return stringLiterals;
  }

  public int requests() {
    return requests.get();
  }

  /** GETs of one record with no formula: what a health probe of the base asks (and a start-up check of each table). */
  public int oneRecordLists() {
    return oneRecordLists.get();
  }

  public int rateLimited() {
    return rateLimited.get();
  }

  public int writes() {
    return writes.get();
  }

  public int maxRecordsPerWrite() {
    return maxRecordsPerWrite.get();
  }

  public int maxPageSize() {
    return maxPageSize.get();
  }

  /** HTTP statuses of requests the fake refused for breaking a rule (400, 401, 404, 422, 429). */
  public List<Integer> rejectedStatuses() {
    return rejectedStatuses;
  }

  public synchronized int count(String table) {
    return tables.get(table).size();
  }

  /** A copy of the stored fields of every record of a table. */
  public synchronized List<JsonObject> records(String table) {
    return tables.get(table).values().stream().map(r -> r.fields.copy()).toList();
  }

  public synchronized void clear() {
    tables.values().forEach(Map::clear);
    formulas.clear();
    stringLiterals.clear();
  }

  // ---- the API ----

  private void reply(RoutingContext ctx, int status, JsonObject body) {
    if (status >= 400 && status != 503) {
      rejectedStatuses.add(status);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static JsonObject error(String type, String message) {
    return new JsonObject().put("error", new JsonObject().put("type", type).put("message", message));
  }

  private synchronized boolean overRate(long now) {
    if (now < penaltyUntil) {
      return true;
    }
    while (!arrivals.isEmpty() && arrivals.peekFirst() <= now - 1000) {
      arrivals.pollFirst();
    }
    if (arrivals.size() >= ratePerSecond) {
      penaltyUntil = now + penaltyMs;
      return true;
    }
    arrivals.addLast(now);
    return false;
  }

  private void handle(RoutingContext ctx) {
    requests.incrementAndGet();
    if (ctx.request().method().name().equals("GET") && "1".equals(ctx.queryParams().get("maxRecords"))
        && ctx.queryParams().get("filterByFormula") == null) {
      oneRecordLists.incrementAndGet();
    }
    if (down) {
      reply(ctx, 503, error("SERVICE_UNAVAILABLE", "the fake is down"));
      return;
    }
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.equals("Bearer " + TOKEN)) {
      reply(ctx, 401, error("AUTHENTICATION_REQUIRED", "Authentication required"));
      return;
    }
    if (overRate(System.currentTimeMillis())) {
      rateLimited.incrementAndGet();
      reply(ctx, 429, error("RATE_LIMIT_REACHED", "Rate limit exceeded. Please try again later"));
      return;
    }
    String base = ctx.pathParam("base");
    String table = ctx.pathParam("table");
    synchronized (this) {
      if (!BASE.equals(base) || !tables.containsKey(table)) {
        reply(ctx, 404, new JsonObject().put("error", "NOT_FOUND"));
        return;
      }
      try {
        switch (ctx.request().method().name()) {
          case "GET" -> list(ctx, tables.get(table));
          case "POST" -> create(ctx, tables.get(table));
          case "PATCH" -> update(ctx, tables.get(table), false);
          case "PUT" -> update(ctx, tables.get(table), true);
          case "DELETE" -> delete(ctx, tables.get(table));
          default -> reply(ctx, 404, new JsonObject().put("error", "NOT_FOUND"));
        }
      } catch (Rejection r) {
        reply(ctx, r.status, error(r.type, r.getMessage()));
      }
    }
  }

  private static final class Rejection extends RuntimeException {
    final int status;
    final String type;

    Rejection(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }
  }

  private void list(RoutingContext ctx, Map<String, Rec> table) {
    var q = ctx.queryParams();
    int pageSize = 100;
    if (q.get("pageSize") != null) {
      pageSize = Integer.parseInt(q.get("pageSize"));
      maxPageSize.accumulateAndGet(pageSize, Math::max);
      if (pageSize < 1 || pageSize > 100) {
        throw new Rejection(422, "INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data. (pageSize " + pageSize + ")");
      }
    }
    Integer maxRecords = q.get("maxRecords") == null ? null : Integer.parseInt(q.get("maxRecords"));
    List<Rec> matching = new ArrayList<>(table.values());
    String formula = q.get("filterByFormula");
    if (formula != null && !formula.isEmpty()) {
      formulas.add(formula);
      Node node;
      try {
        node = new Parser(formula, stringLiterals).parse();
      } catch (RuntimeException e) {
        throw new Rejection(422, "INVALID_FILTER_BY_FORMULA", "The formula for filtering records is invalid: " + e.getMessage());
      }
      matching.removeIf(r -> !truthy(node.eval(r.fields)));
    }
    List<Comparator<Rec>> sorts = new ArrayList<>();
    for (int i = 0; q.get("sort[" + i + "][field]") != null; i++) {
      String field = q.get("sort[" + i + "][field]");
      boolean desc = "desc".equals(q.get("sort[" + i + "][direction]"));
      Comparator<Rec> c = (a, b) -> compareValues(fieldValue(a.fields, field), fieldValue(b.fields, field));
      sorts.add(desc ? c.reversed() : c);
    }
    if (!sorts.isEmpty()) {
      matching.sort(sorts.stream().reduce(Comparator::thenComparing).orElseThrow());
    }
    if (maxRecords != null && matching.size() > maxRecords) {
      matching = matching.subList(0, maxRecords);
    }
    int start = 0;
    String offset = q.get("offset");
    if (offset != null) {
      try {
        start = Integer.parseInt(offset.substring(3, offset.indexOf('/')));
      } catch (RuntimeException e) {
        throw new Rejection(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "offset is not valid");
      }
    }
    List<String> only = q.getAll("fields[]");
    JsonArray out = new JsonArray();
    int end = Math.min(matching.size(), start + pageSize);
    for (int i = start; i < end; i++) {
      out.add(matching.get(i).toJson(only));
    }
    JsonObject body = new JsonObject().put("records", out);
    if (end < matching.size()) {
      body.put("offset", "itr" + end + "/" + matching.get(end).id);
    }
    reply(ctx, 200, body);
  }

  private JsonArray records(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      throw new Rejection(400, "INVALID_REQUEST_BODY", "Could not parse request body");
    }
    if (body == null || body.getJsonArray("records") == null) {
      throw new Rejection(422, "INVALID_REQUEST_MISSING_FIELDS", "Could not find field \"records\" in the request body");
    }
    JsonArray records = body.getJsonArray("records");
    maxRecordsPerWrite.accumulateAndGet(records.size(), Math::max);
    if (records.size() > 10) {
      throw new Rejection(422, "INVALID_RECORDS", "You may only create or update up to 10 records at a time, got " + records.size());
    }
    writes.incrementAndGet();
    return records;
  }

  private String now() {
    return java.time.Instant.now().toString();
  }

  private Rec newRecord(Map<String, Rec> table, JsonObject fields) {
    String id = String.format(Locale.ROOT, "rec%014d", nextId++);
    Rec r = new Rec(id, now(), clean(fields, new JsonObject()));
    table.put(id, r);
    return r;
  }

  /** Airtable keeps no empty values: null removes a field, "" and false are not stored. */
  private static JsonObject clean(JsonObject changes, JsonObject onto) {
    for (String k : changes.fieldNames()) {
      Object v = changes.getValue(k);
      if (v == null || (v instanceof String s && s.isEmpty()) || Boolean.FALSE.equals(v)) {
        onto.remove(k);
      } else {
        onto.put(k, v);
      }
    }
    return onto;
  }

  private void create(RoutingContext ctx, Map<String, Rec> table) {
    JsonArray in = records(ctx);
    JsonArray out = new JsonArray();
    for (int i = 0; i < in.size(); i++) {
      out.add(newRecord(table, in.getJsonObject(i).getJsonObject("fields", new JsonObject())).toJson(List.of()));
    }
    reply(ctx, 200, new JsonObject().put("records", out));
  }

  private void update(RoutingContext ctx, Map<String, Rec> table, boolean destructive) {
    JsonArray in = records(ctx);
    JsonObject body = ctx.body().asJsonObject();
    JsonObject upsert = body.getJsonObject("performUpsert");
    List<String> mergeOn = upsert == null ? null
        : upsert.getJsonArray("fieldsToMergeOn", new JsonArray()).stream().map(Object::toString).toList();
    if (mergeOn != null && (mergeOn.isEmpty() || mergeOn.size() > 3)) {
      throw new Rejection(422, "INVALID_REQUEST_UNKNOWN", "fieldsToMergeOn must name 1 to 3 fields");
    }
    // validate everything first: Airtable applies a request all or nothing
    List<Rec> targets = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      JsonObject r = in.getJsonObject(i);
      JsonObject fields = r.getJsonObject("fields", new JsonObject());
      if (r.getString("id") != null) {
        Rec existing = table.get(r.getString("id"));
        if (existing == null) {
          throw new Rejection(404, "NOT_FOUND", "Record " + r.getString("id") + " not found");
        }
        targets.add(existing);
      } else if (mergeOn == null) {
        throw new Rejection(422, "INVALID_RECORDS", "Record id is required unless performUpsert is set");
      } else {
        for (String f : mergeOn) {
          if (!fields.containsKey(f)) {
            throw new Rejection(422, "INVALID_VALUE_FOR_COLUMN", "A record is missing the merge field " + f);
          }
        }
        List<Rec> matches = table.values().stream()
            .filter(x -> mergeOn.stream().allMatch(f -> equalsValue(fieldValue(x.fields, f), literal(fields.getValue(f)))))
            .toList();
        if (matches.size() > 1) {
          throw new Rejection(422, "INVALID_VALUE_FOR_COLUMN", "More than one record matches the fields to merge on " + mergeOn);
        }
        targets.add(matches.isEmpty() ? null : matches.get(0));
      }
    }
    JsonArray out = new JsonArray();
    JsonArray created = new JsonArray();
    JsonArray updated = new JsonArray();
    for (int i = 0; i < in.size(); i++) {
      JsonObject fields = in.getJsonObject(i).getJsonObject("fields", new JsonObject());
      Rec target = targets.get(i);
      if (target == null) {
        target = newRecord(table, fields);
        created.add(target.id);
      } else {
        target.fields = clean(fields, destructive ? new JsonObject() : target.fields);
        updated.add(target.id);
      }
      out.add(target.toJson(List.of()));
    }
    JsonObject reply = new JsonObject().put("records", out);
    if (mergeOn != null) {
      reply.put("createdRecords", created).put("updatedRecords", updated);
    }
    reply(ctx, 200, reply);
  }

  private void delete(RoutingContext ctx, Map<String, Rec> table) {
    List<String> ids = ctx.queryParams().getAll("records[]");
    maxRecordsPerWrite.accumulateAndGet(ids.size(), Math::max);
    if (ids.size() > 10) {
      throw new Rejection(422, "INVALID_RECORDS", "You may only delete up to 10 records at a time");
    }
    for (String id : ids) {
      if (!table.containsKey(id)) {
        throw new Rejection(404, "NOT_FOUND", "Record " + id + " not found");
      }
    }
    writes.incrementAndGet();
    JsonArray out = new JsonArray();
    ids.forEach(id -> {
      table.remove(id);
      out.add(new JsonObject().put("id", id).put("deleted", true));
    });
    reply(ctx, 200, new JsonObject().put("records", out));
  }

  // ---- formula values ----

  private static Object fieldValue(JsonObject fields, String name) {
    return literal(fields.getValue(name));
  }

  private static Object literal(Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    return v;
  }

  private static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    return !v.toString().isEmpty();
  }

  private static String text(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString(d.longValue()) : d.toString();
    }
    if (v instanceof Boolean b) {
      return b ? "1" : "0";
    }
    return v.toString();
  }

  private static Double number(Object v) {
    if (v instanceof Double d) {
      return d;
    }
    if (v instanceof Boolean b) {
      return b ? 1.0 : 0.0;
    }
    if (v == null) {
      return 0.0;
    }
    try {
      return Double.parseDouble(v.toString().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean equalsValue(Object a, Object b) {
    if ((a == null || "".equals(a)) && (b == null || "".equals(b))) {
      return true;
    }
    if (a instanceof Double || b instanceof Double) {
      Double x = number(a);
      Double y = number(b);
      return x != null && y != null && x.doubleValue() == y.doubleValue();
    }
    return text(a).equals(text(b));
  }

  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    if (a instanceof Double x && b instanceof Double y) {
      return Double.compare(x, y);
    }
    return text(a).compareTo(text(b));
  }

  // ---- a small parser and evaluator of Airtable formulas ----

  private interface Node {
    Object eval(JsonObject fields);
  }

  private static final class Parser {
    private final String s;
    private final List<String> literals;
    private int i;

    Parser(String s, List<String> literals) {
      this.s = s;
      this.literals = literals;
    }

    Node parse() {
      Node n = comparison();
      skip();
      if (i != s.length()) {
        throw new IllegalArgumentException("unexpected '" + s.substring(i) + "' at " + i);
      }
      return n;
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    private boolean eat(String token) {
      skip();
      if (s.startsWith(token, i)) {
        i += token.length();
        return true;
      }
      return false;
    }

    private Node comparison() {
      Node left = concat();
      for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
        if (eat(op)) {
          Node right = concat();
          return f -> {
            Object a = left.eval(f);
            Object b = right.eval(f);
            return switch (op) {
              case "=" -> equalsValue(a, b);
              case "!=" -> !equalsValue(a, b);
              default -> {
                Double x = number(a);
                Double y = number(b);
                int c = x != null && y != null ? Double.compare(x, y) : text(a).compareTo(text(b));
                yield switch (op) {
                  case "<" -> c < 0;
                  case ">" -> c > 0;
                  case "<=" -> c <= 0;
                  default -> c >= 0;
                };
              }
            };
          };
        }
      }
      return left;
    }

    private Node concat() {
      Node left = additive();
      while (eat("&")) {
        Node l = left;
        Node r = additive();
        left = f -> text(l.eval(f)) + text(r.eval(f));
      }
      return left;
    }

    private Node additive() {
      Node left = unary();
      while (true) {
        skip();
        if (eat("+")) {
          Node l = left;
          Node r = unary();
          left = f -> number(l.eval(f)) + number(r.eval(f));
        } else if (i < s.length() && s.charAt(i) == '-') {
          i++;
          Node l = left;
          Node r = unary();
          left = f -> number(l.eval(f)) - number(r.eval(f));
        } else {
          return left;
        }
      }
    }

    private Node unary() {
      if (eat("-")) {
        Node n = unary();
        return f -> -number(n.eval(f));
      }
      return primary();
    }

    private Node primary() {
      skip();
      if (i >= s.length()) {
        throw new IllegalArgumentException("unexpected end of formula");
      }
      char c = s.charAt(i);
      if (c == '(') {
        i++;
        Node n = comparison();
        if (!eat(")")) {
          throw new IllegalArgumentException("missing ) at " + i);
        }
        return n;
      }
      if (c == '\'' || c == '"') {
        String lit = string(c);
        literals.add(lit);
        return f -> lit;
      }
      if (c == '{') {
        int end = s.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed { at " + i);
        }
        String name = s.substring(i + 1, end);
        i = end + 1;
        return f -> fieldValue(f, name);
      }
      if (Character.isDigit(c) || c == '.') {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        double d = Double.parseDouble(s.substring(start, i));
        return f -> d;
      }
      if (Character.isLetter(c)) {
        int start = i;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
          i++;
        }
        String name = s.substring(start, i).toUpperCase(Locale.ROOT);
        List<Node> args = new ArrayList<>();
        if (eat("(")) {
          if (!eat(")")) {
            do {
              args.add(comparison());
            } while (eat(","));
            if (!eat(")")) {
              throw new IllegalArgumentException("missing ) after arguments of " + name + " at " + i);
            }
          }
        } else if (!name.equals("TRUE") && !name.equals("FALSE")) {
          throw new IllegalArgumentException("unknown name " + name + " at " + start);
        }
        return function(name, args);
      }
      throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
    }

    /** A quoted string; a backslash escapes the next character. An unescaped quote of the same kind ends it. */
    private String string(char quote) {
      StringBuilder b = new StringBuilder();
      i++;
      while (true) {
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '\\') {
          if (i >= s.length()) {
            throw new IllegalArgumentException("dangling backslash");
          }
          char e = s.charAt(i++);
          b.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else if (c == quote) {
          return b.toString();
        } else {
          b.append(c);
        }
      }
    }

    private static Node function(String name, List<Node> a) {
      return switch (name) {
        case "AND" -> f -> a.stream().allMatch(n -> truthy(n.eval(f)));
        case "OR" -> f -> a.stream().anyMatch(n -> truthy(n.eval(f)));
        case "NOT" -> f -> !truthy(a.get(0).eval(f));
        case "TRUE" -> f -> true;
        case "FALSE" -> f -> false;
        case "BLANK" -> f -> null;
        case "LOWER" -> f -> text(a.get(0).eval(f)).toLowerCase(Locale.ROOT);
        case "UPPER" -> f -> text(a.get(0).eval(f)).toUpperCase(Locale.ROOT);
        case "LEN" -> f -> (double) text(a.get(0).eval(f)).length();
        case "IF" -> f -> truthy(a.get(0).eval(f)) ? a.get(1).eval(f) : (a.size() > 2 ? a.get(2).eval(f) : null);
        case "FIND", "SEARCH" -> f -> {
          String needle = text(a.get(0).eval(f));
          String hay = text(a.get(1).eval(f));
          return (double) (hay.indexOf(needle) + 1);
        };
        default -> throw new IllegalArgumentException("unknown function " + name);
      };
    }
  }
}
