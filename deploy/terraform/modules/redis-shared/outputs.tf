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
