/**
 * The JSON UI parser against lines recorded from a real Terraform 1.11.4 (test/emulators/recorded/), plus the
 * OpenTofu variants and the odd cases the docs warn about.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { textDiagnostics } from './terraform-json';
import { classify, describeDiagnostics, diagnosticsError, parseUiLine, parseVersionText, type UiLine } from './terraform-json';
import { TerminalError, TransientError } from './types';

const recorded = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../../test/emulators/recorded', name), 'utf8').split('\n');
const parseAll = (lines: string[]) => lines.map(parseUiLine).filter((l): l is UiLine => l !== null);

describe('Terraform JSON UI parsing', () => {
  it('reads a real plan: version, per-resource plan, summary, and output actions without values', () => {
    const lines = parseAll(recorded('plan-create.jsonl'));
    expect(lines[0]).toEqual({ kind: 'version', tool: 'terraform', version: '1.11.4', ui: '1.2' });
    expect(lines).toContainEqual({ kind: 'summary', message: 'Plan: 1 to add, 0 to change, 0 to destroy.', operation: 'plan', add: 1, change: 0, remove: 0 });
    expect(lines.at(-1)).toEqual({ kind: 'outputs', changed: true });
  });

  it('turns a real apply into per-resource progress, and never carries output values', () => {
    const lines = parseAll(recorded('apply-create.jsonl'));
    const progress = lines.filter((l) => l.kind === 'progress');
    expect(progress.map((l) => l.kind === 'progress' && [l.type, l.address, l.message])).toEqual([
      ['apply_start', 'terraform_data.marker', 'terraform_data.marker: Creating...'],
      ['apply_complete', 'terraform_data.marker', 'terraform_data.marker: Creation complete after 0s [id=58426a16-c19c-99e9-52c2-04266cc9372b]'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('58426a16-c19c-99e9-52c2-04266cc9372b"}'); // outputs line dropped
    expect(lines.find((l) => l.kind === 'outputs')).toEqual({ kind: 'outputs', changed: false });
  });

  it('recognises the real state-lock diagnostic as retryable', () => {
    const diags = parseAll(recorded('plan-lock-error.jsonl')).flatMap((l) => (l.kind === 'diagnostic' ? [l.diagnostic] : []));
    expect(diags).toHaveLength(1);
    expect(diags[0]!.summary).toBe('Error acquiring the state lock');
    expect(classify(diags)).toBe('transient');
    expect(diagnosticsError('plan', diags, '')).toBeInstanceOf(TransientError);
  });

  it('tolerates the non-JSON text real init prints between JSON lines', () => {
    const lines = parseAll(recorded('init-mixed.txt'));
    expect(lines.filter((l) => l.kind === 'log' && l.message.includes('Successfully configured the backend "pg"'))).toHaveLength(1);
    expect(lines.every((l) => l.kind !== 'log' || !l.message.includes('\x1b['))).toBe(true);
  });

  it('reads a real interrupted apply: errored resource, interrupt log, "execution halted" is worth a retry', () => {
    const lines = parseAll(recorded('apply-sigint.jsonl'));
    expect(lines.some((l) => l.kind === 'log' && l.message.includes('Interrupt received'))).toBe(true);
    expect(lines.some((l) => l.kind === 'progress' && l.type === 'apply_errored')).toBe(true);
    const diags = lines.flatMap((l) => (l.kind === 'diagnostic' ? [l.diagnostic] : []));
    expect(classify(diags)).toBe('transient');
    expect(describeDiagnostics('apply', diags)).toBe(
      "terraform apply failed: local-exec provisioner error (terraform_data.slow): Error running command 'sleep 4': signal: killed. Output:; execution halted",
    );
  });

  it('accepts OpenTofu streams and version lines, and refuses an unknown major UI version', () => {
    const tofu = '{"@level":"info","@message":"OpenTofu 1.10.2","@module":"tofu.ui","@timestamp":"2026-01-01T00:00:00Z","tofu":"1.10.2","type":"version","ui":"1.2"}';
    expect(parseUiLine(tofu)).toEqual({ kind: 'version', tool: 'tofu', version: '1.10.2', ui: '1.2' });
    expect(() => parseUiLine(tofu.replace('"ui":"1.2"', '"ui":"2.0"'))).toThrow(TerminalError);
    expect(parseVersionText('OpenTofu v1.10.2\non linux_amd64\n')).toEqual({ tool: 'tofu', version: '1.10.2' });
    expect(parseVersionText('Terraform v1.11.4\non linux_amd64\n')).toEqual({ tool: 'terraform', version: '1.11.4' });
    expect(parseVersionText('bash: terraform: command not found')).toBeNull();
  });

  it('presents unknown message types by their @message, and skips blank lines', () => {
    expect(parseUiLine('{"@message":"something new","type":"ephemeral_op_start","@level":"info"}')).toEqual({ kind: 'log', message: 'something new' });
    expect(parseUiLine('   ')).toBeNull();
    expect(parseUiLine('panic: runtime error')).toEqual({ kind: 'log', message: 'panic: runtime error' });
  });

  it('stops on configuration and credential errors, retries cloud hiccups and unknown failures', () => {
    const d = (summary: string, detail = '') => [{ severity: 'error' as const, summary, detail }];
    expect(classify(d('Unsupported argument', 'An argument named "x" is not expected here.'))).toBe('terminal');
    expect(classify(d('No value for required variable'))).toBe('terminal');
    expect(classify(d('Reference to undeclared input variable'))).toBe('terminal');
    expect(classify(d('creating EKS Cluster', 'operation error EKS: CreateCluster, api error AccessDeniedException: not authorized'))).toBe('terminal');
    expect(classify(d('creating Route53 Record', 'ThrottlingException: Rate exceeded'))).toBe('transient');
    expect(classify(d('Saved plan is stale'))).toBe('transient');
    expect(classify(d('reading EC2 instance: i/o timeout'))).toBe('transient');
    expect(classify(d('something nobody has seen before'))).toBe('transient');
    expect(classify(d('pq: SSL is not enabled on the server'))).toBe('terminal'); // real init output with sslmode unset
  });

  it('reads errors from the text output of init and workspace commands', () => {
    const text = '\x1b[31m╷\x1b[0m\x1b[0m\n\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mUnreadable module directory\x1b[0m\n\x1b[31m│\x1b[0m \x1b[0m\n\x1b[31m│\x1b[0m \x1b[0mUnable to evaluate directory symlink\n\x1b[31m╵\x1b[0m';
    const diags = textDiagnostics(text);
    expect(diags[0]).toMatchObject({ summary: 'Unreadable module directory' });
    expect(diags[0]!.detail).toContain('Unable to evaluate directory symlink');
    expect(classify(diags)).toBe('terminal');
    expect(textDiagnostics('')).toEqual([]);
  });

  it('reads single-line errors at the end of real init output (SSL mismatch, missing grant) and HCL syntax errors, all terminal', () => {
    const text = (name: string) => recorded(name).join('\n').trim();
    const ssl = textDiagnostics(text('init-ssl.txt'));
    expect(ssl).toEqual([{ severity: 'error', summary: 'pq: SSL is not enabled on the server', detail: '' }]);
    expect(describeDiagnostics('init', ssl)).toBe('terraform init failed: pq: SSL is not enabled on the server');
    expect(classify(ssl)).toBe('terminal');
    const grant = textDiagnostics(text('init-grant.txt'));
    expect(grant).toEqual([{ severity: 'error', summary: 'pq: permission denied for database tfx', detail: '' }]);
    expect(classify(grant)).toBe('terminal');
    const syntax = textDiagnostics(text('init-syntax.txt'));
    expect(syntax).toEqual([{ severity: 'error', summary: 'Unclosed configuration block', filename: '../m/main.tf line 1', detail: expect.stringMatching(/^There is no closing brace for this block/) }]);
    expect(describeDiagnostics('init', syntax)).toBe('terraform init failed: Unclosed configuration block (../m/main.tf line 1): There is no closing brace for this block before the end of the file. This may');
    expect(classify(syntax)).toBe('terminal');
    // The same errors from -json commands (real summaries).
    const d = (summary: string) => [{ severity: 'error' as const, summary, detail: '' }];
    for (const s of ['Missing newline after argument', 'Invalid block definition', 'Argument or block definition required', 'Invalid character']) expect(classify(d(s)), s).toBe('terminal');
    // Text with no "Error:" line: the last line says most.
    expect(textDiagnostics('Initializing the backend...\nsomething broke')[0]!.summary).toBe('something broke');
  });
});
