import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLACEHOLDERS, TemplateError, checkTemplate, placeholdersIn, renderArgv, renderEnv, renderTemplate } from './command-template.js';

test('placeholders are found in order; escaped ones and other braces are not placeholders', () => {
  assert.deepEqual(placeholdersIn('--x={storage}/{token}'), ['storage', 'token']);
  assert.deepEqual(placeholdersIn('{{storage}} { token } {"a":1} {}'), []);
});

test('an unknown placeholder is a configuration error naming it and where it is', () => {
  assert.throws(() => checkTemplate('--dir={storge}', 'bot.operations.join_once.argv[3]'), (e: unknown) => {
    assert.ok(e instanceof TemplateError);
    assert.match(e.message, /^bot\.operations\.join_once\.argv\[3\]: unknown placeholder \{storge\}/);
    return true;
  });
  for (const p of PLACEHOLDERS) checkTemplate(`{${p}}`, 'x');
});

test('argv substitution keeps each argument one argument, whatever the value holds', () => {
  const argv = renderArgv(['bot', '--token', '{token}', '--dir={storage}/sub', 'literal {{token}}'], { token: 'a b "c"; rm -rf /', storage: '/tmp/x y' }, 'op');
  assert.deepEqual(argv, ['bot', '--token', 'a b "c"; rm -rf /', '--dir=/tmp/x y/sub', 'literal {token}']);
});

test('a placeholder without a value names the argument and the hint', () => {
  assert.throws(() => renderArgv(['a', '{secret}'], {}, 'bot.operations.join_with_secret'), /bot\.operations\.join_with_secret\.argv\[1\]: uses \{secret\}, but no value for it is set in this scenario/);
  assert.throws(() => renderTemplate('{web_addr}', {}, 'w', { web_addr: 'the server reported no web_address' }), /w: uses \{web_addr\}, but the server reported no web_address/);
});

test('env values are rendered per variable', () => {
  assert.deepEqual(renderEnv({ TBOT_REGISTRATION_SECRET: '{secret}', FIXED: 'x' }, { secret: 's3' }, 'op'), { TBOT_REGISTRATION_SECRET: 's3', FIXED: 'x' });
  assert.throws(() => renderEnv({ A: '{nope}' }, {}, 'op'), /op\.env\.A: unknown placeholder \{nope\}/);
});
