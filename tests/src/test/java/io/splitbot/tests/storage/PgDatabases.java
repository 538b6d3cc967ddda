package io.splitbot.tests.storage;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** Throwaway databases on the shared PostgreSQL at 127.0.0.1:5432 (trust auth), one per test class. */
public final class PgDatabases {
  public static final String HOST = System.getProperty("splitbot.pgHost", "127.0.0.1");
  public static final int PORT = Integer.getInteger("splitbot.pgPort", 5432);

  private PgDatabases() {
  }

  public static String create(String prefix) throws SQLException {
    String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase(Locale.ROOT);
    try (Connection c = admin(HOST, PORT); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  public static void drop(String name) throws SQLException {
    try (Connection c = admin(HOST, PORT); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  public static String url(String database) {
    return url(HOST, PORT, database);
  }

  public static String url(String host, int port, String database) {
    return "postgresql://postgres@" + host + ":" + port + "/" + database;
  }

  public static Connection connect(String database) throws SQLException {
    return connect(HOST, PORT, database);
  }

  public static Connection connect(String host, int port, String database) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, "postgres", "");
  }

  private static Connection admin(String host, int port) throws SQLException {
    return connect(host, port, "postgres");
  }

  public static long count(String database, String sql) throws SQLException {
    try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** A count query on a database of a {@link ThrowawayPostgres}. */
  public static long connectCount(ThrowawayPostgres pg, String database, String sql) throws SQLException {
    try (Connection c = connect(pg.host(), pg.port(), database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** Empties every splitbot table (the schema stays). */
  public static void truncate(String host, int port, String database) throws SQLException {
    try (Connection c = connect(host, port, database); Statement s = c.createStatement()) {
      s.execute("TRUNCATE users, requests, comments, status_history, assignments, conversations, counters,"
          + " processed_updates, kv CASCADE");
    }
  }
}
