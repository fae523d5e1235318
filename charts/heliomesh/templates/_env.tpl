{{/*
The environment of each service besides the ConfigMap all four read (envFrom). Secret values are
referenced key by key rather than through envFrom, so a service sees only the secrets it reads:
ADMIN_TOKEN reaches policy-api alone, CLUSTER_SECRET_KEY only the three services that handle
cluster credentials, and the collector, which fetches URLs it is given, neither.

Each heliomesh.env.<key> takes the per-service dict (root, c, v) and renders list items, each
preceded by a newline; deployments.yaml appends secret.extra and the service's own `env` after
them. tools/helm-render/test/chart-env-drift.spec.ts fails when a variable the services read is
neither set here nor listed there as left at its default on purpose.
*/}}
{{- define "heliomesh.env.policyApi" }}
{{- include "heliomesh.portEnv" . }}
{{- include "heliomesh.connectionEnv" .root }}
{{- include "heliomesh.clusterSecretKeyEnv" .root }}
{{- $secret := include "heliomesh.secretName" .root }}
{{- if .root.Values.existingSecret }}
{{- /* Optional: without it policy-api generates a token on a fresh database and logs it once. */}}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: ADMIN_TOKEN
      optional: true
{{- else if .root.Values.auth.bootstrapAdminToken }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: ADMIN_TOKEN
{{- end }}
- name: ROLLOUT_TENANT_LIMIT
  value: {{ int .v.rolloutTenantLimit | quote }}
{{- end }}

{{- define "heliomesh.env.gateway" }}
{{- include "heliomesh.portEnv" . }}
{{- include "heliomesh.connectionEnv" .root }}
{{- include "heliomesh.clusterSecretKeyEnv" .root }}
- name: GRAPHIQL
  value: {{ .v.graphiql | quote }}
- name: GRAPHQL_MAX_DEPTH
  value: {{ int .v.graphql.maxDepth | quote }}
- name: GRAPHQL_MAX_COST
  value: {{ int .v.graphql.maxCost | quote }}
- name: COLLECTOR_URL
  value: {{ include "heliomesh.collectorUrl" .root | quote }}
{{- end }}

{{- define "heliomesh.env.rolloutWorker" }}
{{- include "heliomesh.portEnv" . }}
{{- include "heliomesh.connectionEnv" .root }}
{{- include "heliomesh.clusterSecretKeyEnv" .root }}
- name: RECONCILE_CONCURRENCY
  value: {{ int .v.reconcileConcurrency | quote }}
- name: ROLLOUT_CONCURRENCY
  value: {{ int .v.rolloutConcurrency | quote }}
- name: OUTBOX_POLL_MS
  value: {{ int .v.outboxPollMs | quote }}
- name: DISCOVERY_INTERVAL_MS
  value: {{ int .v.discoveryIntervalMs | quote }}
{{- /* Canary measurements come from the collector, which alone talks to Prometheus or scrapes. */}}
- name: METRICS_PROVIDER
  value: "collector"
- name: COLLECTOR_URL
  value: {{ include "heliomesh.collectorUrl" .root | quote }}
{{- end }}

{{- define "heliomesh.env.metricsCollector" }}
{{- include "heliomesh.portEnv" . }}
{{- include "heliomesh.connectionEnv" .root }}
- name: METRICS_PROVIDER
  value: {{ .v.provider | quote }}
{{- if eq .v.provider "prometheus" }}
- name: PROMETHEUS_URL
  value: {{ required "metricsCollector.prometheus.url is required with metricsCollector.provider prometheus: the URL of your Prometheus, e.g. http://prometheus-operated.monitoring.svc:9090" .v.prometheus.url | quote }}
- name: PROMETHEUS_TIMEOUT_MS
  value: {{ int .v.prometheus.timeoutMs | quote }}
{{- else if eq .v.provider "scrape" }}
{{- $scrape := .v.scrape }}
{{- if not $scrape.targets }}
{{- fail "metricsCollector.scrape.targets is required with metricsCollector.provider scrape: the http(s) /metrics URLs to read" }}
{{- end }}
{{- /* The collector refuses to start when the window cannot hold one minute of samples (65 s with a margin). */}}
{{- if lt (mul (int $scrape.maxSamplesPerSeries) (int $scrape.intervalMs)) 65000 }}
{{- fail (printf "metricsCollector.scrape.maxSamplesPerSeries (%d) times intervalMs (%d) must cover at least 65000 ms, so one-minute rollups see a full minute: raise maxSamplesPerSeries to %d or more" (int $scrape.maxSamplesPerSeries) (int $scrape.intervalMs) (int (div (add 65000 (sub (int $scrape.intervalMs) 1)) (int $scrape.intervalMs)))) }}
{{- end }}
- name: SCRAPE_TARGETS
  value: {{ join "," $scrape.targets | quote }}
- name: SCRAPE_INTERVAL_MS
  value: {{ int $scrape.intervalMs | quote }}
- name: SCRAPE_RETENTION_SECONDS
  value: {{ int $scrape.retentionSeconds | quote }}
- name: SCRAPE_MAX_SERIES
  value: {{ int $scrape.maxSeries | quote }}
- name: SCRAPE_MAX_SAMPLES_PER_SERIES
  value: {{ int $scrape.maxSamplesPerSeries | quote }}
{{- else }}
{{- fail (printf "metricsCollector.provider %q is not one of prometheus, scrape" .v.provider) }}
{{- end }}
- name: ROLLUP_RETENTION_DAYS
  value: {{ int .v.rollupRetentionDays | quote }}
{{- end }}

{{- define "heliomesh.portEnv" }}
- name: {{ .c.portEnv }}
  value: {{ int .v.port | quote }}
{{- end }}

{{/*
DATABASE_URL and REDIS_URL: from the chart's Secret or existingSecret, or assembled in the pod
from a password in the user's own Secret (heliomesh.databaseEnv and heliomesh.redisEnv).
*/}}
{{- define "heliomesh.connectionEnv" }}
{{- $secret := include "heliomesh.secretName" . }}
{{- with include "heliomesh.databaseEnv" . }}
{{- . }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: DATABASE_URL
{{- end }}
{{- with include "heliomesh.redisEnv" . }}
{{- . }}
{{- else }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: REDIS_URL
{{- end }}
{{- end }}

{{- define "heliomesh.clusterSecretKeyEnv" }}
- name: CLUSTER_SECRET_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "heliomesh.secretName" . }}
      key: CLUSTER_SECRET_KEY
{{- end }}

{{/* secret.extra, for every service: only in the chart's own Secret. */}}
{{- define "heliomesh.extraSecretEnv" }}
{{- if not .Values.existingSecret }}
{{- $secret := include "heliomesh.secretName" . }}
{{- range $name, $_ := .Values.secret.extra }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $name }}
{{- end }}
{{- end }}
{{- end }}

{{- define "heliomesh.collectorUrl" -}}
{{- $collector := .Values.metricsCollector }}
{{- if $collector.url }}
{{- $collector.url }}
{{- else }}
{{- $c := (include "heliomesh.components" . | fromYaml).metricsCollector }}
{{- printf "http://%s.%s.svc:%d" (include "heliomesh.componentName" (dict "root" . "c" $c)) .Release.Namespace (int $collector.service.port) }}
{{- end }}
{{- end }}

{{/*
A variable the chart sets from its own values cannot also come from config.extraEnv,
secret.extra or a service's `env`: Kubernetes would take one silently (or refuse the duplicate),
and the value in values.yaml would not be the one in force. `managed` is the rendered env of one
service; `names` a map whose keys are checked; `path` names that map in the message.
*/}}
{{- define "heliomesh.assertUnmanaged" }}
{{- $managed := printf "%s\n" .managed }}
{{- range $name, $_ := .names }}
{{- if contains (printf "\n- name: %s\n" $name) $managed }}
{{- fail (printf "%s.%s is set by the chart itself: change the value in values.yaml that sets %s (its comment names the variable) instead" $.path $name $name) }}
{{- end }}
{{- end }}
{{- end }}
