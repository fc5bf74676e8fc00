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
}
