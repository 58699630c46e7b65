{{/* The app name: the chart's name unless nameOverride says otherwise. It is deploy/'s
app.kubernetes.io/name label and the only selector label, as in deploy/ (one release per namespace:
replicas of one release share the leader Lease). */}}
{{- define "wren.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every object's name. A release called "wren" (or any name containing it) keeps
deploy/'s names: wren, wren-gitsync, wren-leader-election. */}}
{{- define "wren.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "wren.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wren.name" . }}
{{- end }}

{{/* deploy/'s label, then the ones Helm charts carry. */}}
{{- define "wren.labels" -}}
{{ include "wren.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wren.serviceAccountName" -}}
{{- default (include "wren.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{/* The subject every binding grants to: the operator's ServiceAccount. */}}
{{- define "wren.subjects" -}}
subjects:
  - kind: ServiceAccount
    name: {{ include "wren.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
