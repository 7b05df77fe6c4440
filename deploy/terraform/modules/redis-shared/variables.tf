# Set by Plinth from the deployment (see server/reconciler/engines/terraform-config.ts).
variable "deployment_id" {
  type        = string
  description = "Plinth deployment id (UUID); names the namespace and the Redis auth secret."
}
variable "deployment_name" {
  type        = string
  description = "The customer's name for the deployment; the first label of the hostname."
}
variable "org_id" {
  type        = string
  description = "Owning organization, recorded as a label."
}
variable "region" {
  type        = string
  description = "Region of the shared cluster and of the DNS name."
}
variable "plan" {
  type        = string
  description = "Plan slug (free, starter, pro), recorded as a label."
}
variable "redis_version" {
  type        = string
  description = "Redis version; the app (Argo CD) installs it, recorded here as a label."
}
variable "memory_mb" {
  type        = number
  description = "Memory per Redis pod, in MiB."
}
variable "replicas" {
  type        = number
  description = "Read replicas besides the primary."
}
variable "persistence" {
  type        = bool
  description = "Whether Redis keeps data on a volume (AOF)."
}

# Platform settings, the same for every deployment: root variables set as TF_VAR_* in Plinth's environment.
variable "dns_zone_id" {
  type        = string
  description = "Route 53 hosted zone for customer endpoints."
}
variable "dns_domain" {
  type        = string
  description = "Domain of that zone, e.g. redis.example.com."
}
variable "ingress_hostname" {
  type        = string
  description = "Hostname of the shared TLS (SNI) proxy in front of the shared cluster."
}
variable "ingress_namespace" {
  type        = string
  default     = "plinth-ingress"
  description = "Namespace of that proxy: the only one allowed to reach Redis."
}
