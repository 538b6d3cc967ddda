# The edge: webhook-server.jar. Build from the repository root (the build context):
#   docker build -f docker/webhook-server.Dockerfile -t splitbot-edge .

# ---- build: the Maven reactor, but only the modules this jar is made of ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Every module's pom (the reactor reads them all), then the sources of shared and webhook-server only.
COPY pom.xml ./
COPY shared/pom.xml shared/
COPY webhook-server/pom.xml webhook-server/
COPY bot-worker/pom.xml bot-worker/
COPY tests/pom.xml tests/
COPY tests/testkit/pom.xml tests/testkit/
# The dependencies as their own layer: a change to the sources does not download them again.
RUN mvn -B -q -pl webhook-server -am org.apache.maven.plugins:maven-dependency-plugin:3.9.0:go-offline
COPY shared/src shared/src
COPY webhook-server/src webhook-server/src
RUN mvn -B -q -pl webhook-server -am -DskipTests package

# ---- run: a JRE image published for amd64 and arm64 (Apple Silicon), a user without privileges ----
FROM eclipse-temurin:17-jre
RUN groupadd --system splitbot && useradd --system --gid splitbot --no-create-home --home-dir /app splitbot \
    && mkdir -p /app /data && chown splitbot:splitbot /data
WORKDIR /app
COPY --from=build /src/webhook-server/target/webhook-server.jar /app/webhook-server.jar
# The JVM flags, the same file the README and the tests run the jars with (its comments say why each).
COPY jvm.options /app/jvm.options
USER splitbot
# DATA_DIR holds the spool journal with SPOOL=file: mount a volume there. PORT is the webhook port (Render sets it).
ENV DATA_DIR=/data \
    PORT=8080 \
    CLUSTER_HOST=0.0.0.0
VOLUME ["/data"]
# HTTP (webhook, health, metrics), cluster engine (JGroups), event bus.
EXPOSE 8080 5701 5711
# Liveness: the process answers. The platform's health check is /health/accepting (the spool takes updates).
# No wget or curl in the image: bash asks /health/live itself.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT} && printf 'GET /health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# jvm.options's flags (a fixed heap, not a share of the container: see there). The start-up archive it names is the
# worker's; the edge has none of its own, and the empty value keeps the JDK's default one.
ENTRYPOINT ["java", "@/app/jvm.options", "-XX:SharedArchiveFile=", "-jar", "/app/webhook-server.jar"]
