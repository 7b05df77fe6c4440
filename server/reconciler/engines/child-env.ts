/**
 * The one environment every child process Plinth starts receives (terraform, git, the start-up checks' version
 * probes): an allowlist of what those tools legitimately read, plus what Plinth sets itself. Everything else is
 * dropped — Plinth's own secrets (DATABASE_URL, PLINTH_SECRET_KEY, STRIPE_*, AUTH_*) must not reach a provider's
 * crash dump or a git hook, and terraform settings an operator exported for a manual run (TF_DATA_DIR, TF_LOG*,
 * TF_WORKSPACE, TF_CLI_ARGS*) would silently change what Plinth's own runs do.
 */

/** Exact names passed through when set. docs/real-engines.md lists them; keep the two in step. */
export const ALLOWED_NAMES = new Set([
  // The basics every program expects.
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'TERM',
  // Proxies and TLS trust, both spellings.
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  // The AWS credential chain (static keys, profiles, SSO, web identity / IRSA, ECS and EC2 metadata).
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_STS_REGIONAL_ENDPOINTS', 'AWS_CA_BUNDLE',
  'AWS_SDK_LOAD_CONFIG', 'AWS_ENDPOINT_URL',
  // Kubernetes provider: the management cluster's kubeconfig.
  'KUBECONFIG', 'KUBE_CONFIG_PATH', 'KUBE_CTX',
  // Terraform settings an operator may choose: a provider mirror (CLI config) and the plugin cache.
  'TF_CLI_CONFIG_FILE', 'TF_PLUGIN_CACHE_DIR',
  // git: how to reach the GitOps repository.
  'GIT_SSH_COMMAND', 'GIT_SSH', 'SSH_AUTH_SOCK', 'GIT_ASKPASS',
]);

/** Name patterns passed through: locale settings, and Terraform root variables (the platform settings). */
const ALLOWED_PATTERNS = [/^LC_[A-Z]+$/, /^TF_VAR_\w+$/];

/** Never passed on, even when an extra names them: Plinth's secrets and terraform settings Plinth owns. */
const DENIED = /^(DATABASE_URL|PLINTH_.*|STRIPE_.*|AUTH_.*|TF_DATA_DIR|TF_LOG.*|TF_CLI_ARGS.*)$/;

export const isAllowed = (name: string) => !DENIED.test(name) && (ALLOWED_NAMES.has(name) || ALLOWED_PATTERNS.some((p) => p.test(name)));

/**
 * The sanitised environment: allowlisted names from `source`, then what the caller sets (`extra`, e.g.
 * PG_CONN_STR for terraform, GIT_TERMINAL_PROMPT for git). An `extra` value of undefined removes the name.
 */
export function childEnv(extra: Record<string, string | undefined> = {}, source: Record<string, string | undefined> = process.env): NodeJS.ProcessEnv {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value !== undefined && isAllowed(name)) out[name] = value;
  for (const [name, value] of Object.entries(extra)) {
    if (DENIED.test(name)) continue;
    if (value === undefined) delete out[name];
    else out[name] = value;
  }
  return out as NodeJS.ProcessEnv;
}
