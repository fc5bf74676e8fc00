// How the suite reaches a server under test: its control API and the
// credential for it. Everything else (join address, web address, CAs,
// cluster name, whether it runs in scripted mode) the suite asks the control
// API for (GET cluster, GET capabilities).
export interface ServerEndpoints {
  controlUrl: string;
  controlCredential: string;
  /**
   * Present when the server keeps its state in a store that another server
   * process can share (the reference server on PostgreSQL): starts a second
   * server process on the same store and cluster, with its own join service,
   * control API and virtual clock. The caller closes it.
   */
  startSecondServer?: () => Promise<ServerEndpoints & { close(): Promise<void> }>;
  /**
   * Present for container targets (container.ts): restarts the server's
   * container, keeping its data and its addresses, and resolves once it is
   * ready again; `kill` ends it with SIGKILL instead of a graceful stop.
   * The suite declares the feature container-restart for such a target.
   */
  restart?: (options?: { kill?: boolean }) => Promise<void>;
}
