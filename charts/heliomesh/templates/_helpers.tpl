{{/*
The four services. Templates range over this table so that every service gets the same
Deployment, Service, PDB and ServiceMonitor shape; what differs between them lives here.
  app        image, container and label name
  portEnv    the variable the service reads its port from
  access     cluster RBAC: writer (manages Istio objects), discovery (reads workloads) or none
  public     reachable from outside the release (the two APIs)
*/}}
{{- define "heliomesh.components" -}}
policyApi:
  app: policy-api
  portEnv: POLICY_API_PORT
  access: discovery
  public: true
gateway:
  app: gateway
  portEnv: GATEWAY_PORT
  access: none
  public: true
rolloutWorker:
  app: rollout-worker
  portEnv: WORKER_PORT
  access: writer
  public: false
metricsCollector:
  app: metrics-collector
  portEnv: COLLECTOR_PORT
  access: discovery
  public: false
{{- end }}

{{- define "heliomesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The release's name prefix, within the 63 characters a label value allows. Service names must
start with a letter, so a prefix that does not is refused here rather than by the cluster.
*/}}
{{- define "heliomesh.fullname" -}}
{{- $fullname := "" }}
{{- if .Values.fullnameOverride }}
{{- $fullname = .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- $fullname = .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $fullname = printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- if not (regexMatch "^[a-z]([-a-z0-9]*[a-z0-9])?$" $fullname) }}
{{- fail (printf "resource names would start with %q, but Kubernetes Service names must be lowercase and start with a letter: choose another release name or set fullnameOverride" $fullname) }}
{{- end }}
{{- $fullname }}
{{- end }}

{{- define "heliomesh.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object. */}}
{{- define "heliomesh.labels" -}}
helm.sh/chart: {{ include "heliomesh.chart" . }}
app.kubernetes.io/name: {{ include "heliomesh.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: heliomesh
{{- range $key, $value := .Values.commonLabels }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/*
Per-service helpers take a dict: root ($), c (the row of heliomesh.components) and v (the
service's values).
*/}}
{{- define "heliomesh.componentName" -}}
{{- include "heliomesh.suffixedName" (dict "root" .root "suffix" .c.app) }}
{{- end }}

{{/*
<fullname>-<suffix> within 63 characters. The prefix is shortened, never the suffix: cutting
the suffix of a long name would give two objects the same name.
*/}}
{{- define "heliomesh.suffixedName" -}}
{{- $room := int (sub 62 (len .suffix)) }}
{{- printf "%s-%s" (include "heliomesh.fullname" .root | trunc $room | trimSuffix "-") .suffix }}
{{- end }}

{{/* Selects one service's pods; never changes after install, since selectors are immutable. */}}
{{- define "heliomesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "heliomesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .c.app }}
{{- end }}

{{- define "heliomesh.componentLabels" -}}
{{ include "heliomesh.labels" .root }}
app.kubernetes.io/component: {{ .c.app }}
{{- end }}

{{- define "heliomesh.image" -}}
{{- $image := .root.Values.image }}
{{- $tag := default .root.Chart.AppVersion $image.tag }}
{{- if $image.registry }}{{ $image.registry }}/{{ end }}{{ $image.repositoryPrefix }}/{{ .name }}:{{ $tag }}
{{- end }}

{{- define "heliomesh.serviceAccountName" -}}
{{- if .root.Values.serviceAccounts.create }}
{{- include "heliomesh.componentName" . }}
{{- else }}
{{- default "default" .v.serviceAccountName }}
{{- end }}
{{- end }}

{{- define "heliomesh.secretName" -}}
{{- default (include "heliomesh.fullname" .) .Values.existingSecret }}
{{- end }}

{{/*
Connection URLs the chart can write into a Secret. A password kept in the user's own Secret
cannot be, so heliomesh.connectionEnv assembles those URLs in the pod instead.
*/}}
{{- define "heliomesh.databaseUrl" -}}
{{- $db := .Values.database }}
{{- if $db.url }}
{{- $db.url }}
{{- else if not $db.passwordSecret.name }}
{{- printf "postgres://%s@%s:%d/%s" $db.user $db.host (int $db.port) $db.name }}
{{- if $db.sslMode }}?sslmode={{ $db.sslMode }}{{ end }}
{{- end }}
{{- end }}

{{- define "heliomesh.redisUrl" -}}
{{- $redis := .Values.redis }}
{{- if $redis.url }}
{{- $redis.url }}
{{- else if not $redis.passwordSecret.name }}
{{- printf "%s://%s:%d/%d" (ternary "rediss" "redis" $redis.tls) $redis.host (int $redis.port) (int $redis.db) }}
{{- end }}
{{- end }}

{{/*
Env entries that build DATABASE_URL and REDIS_URL from a password in the user's Secret.
Kubernetes expands $(NAME) from variables defined earlier in the same list.
*/}}
{{- define "heliomesh.databaseEnv" -}}
{{- $db := .Values.database }}
{{- if and (not .Values.existingSecret) (not $db.url) $db.passwordSecret.name }}
- name: HELIOMESH_DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $db.passwordSecret.name }}
      key: {{ $db.passwordSecret.key }}
{{- $query := ternary (printf "?sslmode=%s" $db.sslMode) "" (ne $db.sslMode "") }}
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(HELIOMESH_DATABASE_PASSWORD)@%s:%d/%s%s" $db.user $db.host (int $db.port) $db.name $query | quote }}
{{- end }}
{{- end }}

{{- define "heliomesh.redisEnv" -}}
{{- $redis := .Values.redis }}
{{- if and (not .Values.existingSecret) (not $redis.url) $redis.passwordSecret.name }}
- name: HELIOMESH_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $redis.passwordSecret.name }}
      key: {{ $redis.passwordSecret.key }}
- name: REDIS_URL
  value: {{ printf "%s://:$(HELIOMESH_REDIS_PASSWORD)@%s:%d/%d" (ternary "rediss" "redis" $redis.tls) $redis.host (int $redis.port) (int $redis.db) | quote }}
{{- end }}
{{- end }}

{{/* Every pod's volumes and mounts: the root filesystem is read-only, so /tmp is an emptyDir. */}}
{{- define "heliomesh.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "heliomesh.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end }}

{{- define "heliomesh.imagePullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}

{{/* Pod affinity: the service's own, or the anti-affinity preset that spreads replicas over nodes. */}}
{{- define "heliomesh.affinity" -}}
{{- if .v.affinity }}
affinity:
  {{- toYaml .v.affinity | nindent 2 }}
{{- else if eq .root.Values.podAntiAffinity "soft" }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "heliomesh.selectorLabels" . | nindent 14 }}
{{- else if eq .root.Values.podAntiAffinity "hard" }}
affinity:
  podAntiAffinity:
    requiredDuringSchedulingIgnoredDuringExecution:
      - topologyKey: kubernetes.io/hostname
        labelSelector:
          matchLabels:
            {{- include "heliomesh.selectorLabels" . | nindent 12 }}
{{- end }}
{{- end }}
