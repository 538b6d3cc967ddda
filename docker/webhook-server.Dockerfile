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
COPY shared/src shared/src
COPY webhook-server/src webhook-server/src
RUN mvn -B -q -pl webhook-server -am -DskipTests package

# ---- run: a slim JRE, a user without privileges ----
FROM eclipse-temurin:17-jre-alpine
RUN addgroup -S splitbot && adduser -S -G splitbot -H -h /app splitbot \
    && mkdir -p /app /data && chown splitbot:splitbot /data
WORKDIR /app
COPY --from=build /src/webhook-server/target/webhook-server.jar /app/webhook-server.jar
USER splitbot
# DATA_DIR holds the spool journal with SPOOL=file: mount a volume there. PORT is the webhook port (Render sets it).
ENV DATA_DIR=/data \
    PORT=8080 \
    CLUSTER_HOST=0.0.0.0
VOLUME ["/data"]
# HTTP (webhook, health, metrics), Hazelcast, event bus.
EXPOSE 8080 5701 5711
# Liveness: the process answers. Readiness (a worker reachable) is /health/ready, for the platform's router.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
    CMD wget -q -O /dev/null "http://127.0.0.1:${PORT}/health/live" || exit 1
# Heap from the container's memory limit; an OutOfMemoryError ends the process so the platform restarts it.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/webhook-server.jar"]
