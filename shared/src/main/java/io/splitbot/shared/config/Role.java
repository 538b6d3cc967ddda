package io.splitbot.shared.config;

/** Which services a process runs. EDGE is webhook-server.jar; ALL and WORKER are bot-worker.jar. */
public enum Role {
  EDGE, ALL, WORKER;

  public boolean runsEdge() {
    return this != WORKER;
  }

  public boolean runsWorker() {
    return this != EDGE;
  }

  /** One process per role joins the cluster; ALL runs on the local event bus. */
  public boolean clustered() {
    return this != ALL;
  }
}
