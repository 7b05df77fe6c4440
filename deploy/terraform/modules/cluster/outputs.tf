output "name" {
  value = aws_eks_cluster.this.name
}
output "endpoint" {
  value = aws_eks_cluster.this.endpoint
}
output "ca_certificate" {
  value = aws_eks_cluster.this.certificate_authority[0].data
}
output "vpc_id" {
  value = data.aws_vpc.default.id
}
output "subnet_ids" {
  value = data.aws_subnets.default.ids
}
output "node_group_asg_name" {
  value = aws_eks_node_group.this.resources[0].autoscaling_groups[0].name
}
output "security_group_id" {
  description = "The cluster security group, which EKS attaches to the managed nodes."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}
