# Plinth reads host, port, tls and password (see MODULE_OUTPUTS in terraform-config.ts).
output "host" {
  value = aws_route53_record.this.fqdn
}
output "port" {
  value = 6379
}
output "tls" {
  description = "The shared proxy terminates TLS."
  value       = true
}
output "password" {
  value     = random_password.this.result
  sensitive = true
}
output "namespace" {
  value = kubernetes_namespace_v1.this.metadata[0].name
}

# Optional: what this module's resources cost the vendor per hour, in cents (fractions allowed), storage excluded
# (Plinth prices disk per GB-hour from its cost model, so a stopped deployment still costs its disk). When declared,
# Plinth reads it after every apply and uses it instead of the cost model's compute figure for this deployment
# (docs/unit-economics.md). BYOC deployments ignore it: the customer pays their cloud. For example:
#
# output "hourly_cost_cents" {
#   value = 1.25
# }
