# Set by Plinth from the deployment (see server/reconciler/engines/terraform-config.ts).
variable "deployment_id" {
  type        = string
  description = "Plinth deployment id (UUID); names the cluster, namespace and Redis auth secret."
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
  description = "Region of the dedicated cluster."
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

# Bring your own cloud: the customer's account, from the organization's cloud account reference.
variable "account_ref" {
  type        = string
  description = "ARN of the IAM role the customer created for Plinth in their account."
  validation {
    condition     = can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.account_ref))
    error_message = "The organization's cloud account reference must be an IAM role ARN, e.g. arn:aws:iam::123456789012:role/plinth."
  }
}
variable "external_id" {
  type        = string
  description = "ExternalId the role's trust policy requires (Plinth passes the organization id)."
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
variable "argocd_namespace" {
  type        = string
  default     = "argocd"
  description = "Namespace of Argo CD on the management cluster, where the cluster secret is registered."
}
variable "argocd_role_arn" {
  type        = string
  description = "IAM role Argo CD uses to reach the dedicated cluster (platform setting TF_VAR_argocd_role_arn); granted cluster-admin through an EKS access entry and named in Argo CD's cluster secret."
}
variable "allowed_cidrs" {
  type        = list(string)
  default     = ["0.0.0.0/0"]
  description = "Client networks allowed to reach Redis on the dedicated cluster's load balancer."
}
