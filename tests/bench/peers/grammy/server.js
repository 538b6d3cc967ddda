// The grammY peer of splitbot's ack benchmark (docs/BENCHMARKS.md): grammY's webhookCallback on node's own http
// server, the secret token checked, a handler that does nothing. It acks an update once the handler is done, from
// memory: nothing is made durable. Usage: WEBHOOK_SECRET=... node server.js <port>
"use strict";
const http = require("node:http");
const { Bot, webhookCallback } = require("grammy");

const port = Number(process.argv[2]);
const secretToken = process.env.WEBHOOK_SECRET;
if (!Number.isInteger(port) || !secretToken) {
  console.error("usage: WEBHOOK_SECRET=<secret> node server.js <port>");
  process.exit(2);
}

// botInfo given, so the bot never calls getMe: the benchmark has no Bot API behind it.
const bot = new Bot("123456:benchmark-token-not-used-0000000", {
  botInfo: {
    id: 123456, is_bot: true, first_name: "Bench", username: "bench_bot", can_join_groups: true,
    can_read_all_group_messages: false, supports_inline_queries: false, can_connect_to_business: false,
    has_main_web_app: false,
  },
});
bot.on("message", () => {});

const handleUpdate = webhookCallback(bot, "http", { secretToken });
http.createServer((req, res) => {
  if (req.method === "GET") {
    res.end("ok"); // readiness, for the benchmark
    return;
  }
  handleUpdate(req, res).catch((err) => {
    res.statusCode = 500;
    res.end(String(err));
  });
}).listen(port, "127.0.0.1", () => console.log(`grammY peer listening on ${port}`));
