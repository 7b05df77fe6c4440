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
