/** Reading a module's required_providers (what the generated root repeats), in the forms modules write it. */
import { describe, expect, it } from 'vitest';
import { parseRequiredProviders } from './terraform-providers';
import { TerminalError } from './types';

describe('parseRequiredProviders', () => {
  it('reads inline and block entries, versions and configuration aliases, ignoring braces in strings and comments', () => {
    const text = `
terraform {
  required_version = ">= 1.5.0" # a comment with a } brace
  required_providers {
    // another { comment
    aws = {
      source                = "hashicorp/aws"
      version               = "~> 5.40"
      configuration_aliases = [aws.dns, aws.other]
    }
    kubernetes = { source = "hashicorp/kubernetes", version = "~> 2.23" }
    random     = { source = "registry.terraform.io/hashicorp/random" }
  }
}
resource "terraform_data" "x" { input = "{ not a block }" }
`;
    expect(parseRequiredProviders(text)).toEqual({
      aws: { source: 'hashicorp/aws', version: '~> 5.40', aliases: ['dns', 'other'] },
      kubernetes: { source: 'hashicorp/kubernetes', version: '~> 2.23', aliases: [] },
      random: { source: 'registry.terraform.io/hashicorp/random', aliases: [] },
    });
    expect(parseRequiredProviders('terraform {\n  required_version = ">= 1.5.0"\n}\n')).toEqual({});
  });

  it('refuses what it cannot read, naming the file and the fix', () => {
    expect(() => parseRequiredProviders('terraform {\n required_providers {\n aws = { version = "~> 5.0" }\n }\n}', 'm/versions.tf')).toThrow(
      new TerminalError('m/versions.tf: required_providers.aws has no source; add source = "hashicorp/aws".'),
    );
    expect(() => parseRequiredProviders('terraform {\n required_providers {\n aws = { source = "hashicorp/aws"\n', 'm/versions.tf')).toThrow(/unbalanced braces/);
  });
});
