// The reply-template language, below both the domain (lib/kf/templates.ts: the texts, their checks)
// and the outbox (lib/outbox/payloads.ts: a place in line rendered when it is sent).
//
// Rendering never shows a follower a raw placeholder: a known variable without a value becomes empty
// text. Anything in braces that is not a variable ({微笑}, {x}) is left as written, since it may be
// meant literally.

/** Every variable a template may contain; each template may use only some of them. */
export const KNOWN_VARIABLES = ['position', 'count', 'hours', 'keyword', 'agent', 'resume', 'kfAccount', 'minutes'] as const;

/** A {name} in a template. */
export const TEMPLATE_VARIABLE = /\{([A-Za-z_]\w*)\}/g;
const known = new Set<string>(KNOWN_VARIABLES);

function valueOf(vars: Partial<Record<string, string | number>>, name: string): string | undefined {
  // Own properties only: "{constructor}" must not render Object's constructor.
  const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
  return value == null ? undefined : String(value);
}

/** Fills each {name} in one pass, so a value containing "{keyword}" is not filled again. Never throws. */
export function renderTemplate(template: string, vars: Partial<Record<string, string | number>>): string {
  return template.replace(TEMPLATE_VARIABLE, (whole, name: string) => valueOf(vars, name) ?? (known.has(name) ? '' : whole));
}
