# The worker: bot-worker.jar (BOT_ROLE=worker in a cluster, or BOT_ROLE=all for edge and worker in one JVM), and the
# operator's CLI (dead-letters, migrate). Build from the repository root (the build context):
#   docker build -f docker/bot-worker.Dockerfile -t splitbot-worker .

# ---- build: the Maven reactor, but only the modules this jar is made of ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module's pom (the reactor reads them all), then the sources of the modules bot-worker.jar contains.
COPY pom.xml ./
COPY shared/pom.xml shared/
COPY webhook-server/pom.xml webhook-server/
COPY bot-worker/pom.xml bot-worker/
COPY tests/pom.xml tests/
COPY tests/testkit/pom.xml tests/testkit/
# The dependencies as their own layer: a change to the sources does not download them again.
RUN mvn -B -q -pl bot-worker -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline
COPY shared/src shared/src
COPY webhook-server/src webhook-server/src
COPY bot-worker/src bot-worker/src
# The start-up archive is made in the run stage, by the java that reads it: the build's own is left out.
RUN mvn -B -q -pl bot-worker -am -Dsplitbot.cds.skip=true -DskipTests package

# ---- run: a JRE image published for amd64 and arm64 (Apple Silicon), a user without privileges ----
FROM eclipse-temurin:17-jre
RUN groupadd --system splitbot && useradd --system --gid splitbot --no-create-home --home-dir /app splitbot \
    && mkdir -p /app /data && chown splitbot:splitbot /data
WORKDIR /app
COPY --from=build /src/bot-worker/target/bot-worker.jar /app/bot-worker.jar
# The JVM flags, the same file the README and the tests run the jars with (its comments say why each).
COPY jvm.options /app/jvm.options
# The start-up archive (class-data sharing): the jar's warm-up (the bot on loopback against a stand-in Bot API, one
# update, stop) under -XX:ArchiveClassesAtExit, with this image's java, the only one that can read the archive.
RUN java @/app/jvm.options -XX:SharedArchiveFile= -XX:ArchiveClassesAtExit=/app/bot-worker.jsa \
        -cp /app/bot-worker.jar io.splitbot.worker.launch.WarmUp
USER splitbot
# DATA_DIR holds the embedded stores (dedup, dead letters, JSON storage) when Redis or PostgreSQL are not set.
ENV DATA_DIR=/data \
    PORT=8080 \
    WORKER_PORT=8081 \
    CLUSTER_HOST=0.0.0.0
VOLUME ["/data"]
# Edge HTTP (BOT_ROLE=all), worker HTTP (health, monitoring, internal API, metrics), cluster engine (JGroups), event bus.
EXPOSE 8080 8081 5702 5712
# No wget or curl in the image: bash asks /health/live itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${WORKER_PORT} && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# jvm.options's flags (a fixed heap, not a share of the container: see there), and the archive made above.
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=/app/bot-worker.jsa", "-jar", "/app/bot-worker.jar"]
