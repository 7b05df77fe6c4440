variable "name" {
  type        = string
  description = "Cluster name (also the prefix of its IAM roles)."
}
variable "kubernetes_version" {
  type    = string
  default = "1.31"
}
variable "node_memory_mb" {
  type        = number
  description = "Memory Redis needs per node, in MiB; picks the instance type."
}
variable "node_count" {
  type        = number
  description = "One node per Redis pod (primary + replicas), so a node loss takes one pod at most."
}
variable "argocd_role_arn" {
  type        = string
  default     = null
  description = "IAM role Argo CD uses to reach this cluster; granted cluster-admin through an access entry."
}
variable "tags" {
  type    = map(string)
  default = {}
}
variable "unsupported_zone_ids" {
  type        = list(string)
  default     = ["use1-az3", "usw1-az2", "cac1-az3"]
  description = "Availability zone ids where EKS does not accept control-plane subnets (see the EKS user guide)."
}
