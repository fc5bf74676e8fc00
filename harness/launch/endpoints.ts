// How the suite reaches a server under test: its control API and the
// credential for it. Everything else (join address, CAs, cluster name) the
// suite asks the control API for.
export interface ServerEndpoints {
  controlUrl: string;
  controlCredential: string;
}
