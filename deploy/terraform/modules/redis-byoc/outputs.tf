# Plinth reads host, port, tls and password (see MODULE_OUTPUTS in terraform-config.ts).
output "host" {
  value = module.redis.host
}
output "port" {
  value = module.redis.port
}
output "tls" {
  value = module.redis.tls
}
output "password" {
  value     = module.redis.password
  sensitive = true
}
output "namespace" {
  value = module.redis.namespace
}
output "cluster" {
  value = module.redis.cluster
}

# Optional: what this module's resources cost the vendor per hour, in cents (fractions allowed), storage excluded
# (Plinth prices disk per GB-hour from its cost model, so a stopped deployment still costs its disk). When declared,
# Plinth reads it after every apply and uses it instead of the cost model's compute figure for this deployment
# (docs/unit-economics.md). BYOC deployments ignore it: the customer pays their cloud. For example:
#
# output "hourly_cost_cents" {
#   value = 1.25
# }
