/** One port of a Service (the shape libs/istio's CompileSnapshot takes). */
export interface DiscoveredPort {
  name?: string;
  port: number;
  /** The container port, when the Service names a number or a named port we could resolve. */
  targetPort?: number;
  protocol: string;
}

/** One version behind a Service: pods grouped by their `version` label. */
export interface DiscoveredVersion {
  name: string;
  /** The labels that select this version's pods (`{ version: name }`), as DestinationRule subsets use them. */
  labels: Record<string, string>;
  /** Ready pods of this version. */
  pods: number;
  /** Deployments whose pod template carries this version (none for bare pods). */
  deployments: string[];
}

/** A Service with the versions behind it; assignable to libs/istio's MeshService. */
export interface DiscoveredService {
  namespace: string;
  name: string;
  /** The `app` label of the selector (or of the pods), when there is one. */
  app?: string;
  ports: DiscoveredPort[];
  versions: DiscoveredVersion[];
  /** The Service's pod selector; absent for a Service without one (external endpoints). */
  selector?: Record<string, string>;
  /** Selected pods without a `version` label: they cannot be told apart by subsets. */
  unversionedPods: number;
}

export interface DiscoveryOptions {
  /** Namespaces to scan (default: all). */
  namespaces?: string[];
  /** The pod label that names a version (default `version`). */
  versionLabel?: string;
}
