// The webhook as a plain function of (method, query, body) → (status, headers, body), so tests call
// it directly and server.ts serves it outside Next's request pipeline.
export interface WebhookRequest {
  method: string;
  query: URLSearchParams;
  body: Buffer;
}

export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const textHeaders = { 'content-type': 'text/plain; charset=utf-8' };

export async function handleWebhook(_request: WebhookRequest): Promise<WebhookResponse> {
  return { status: 503, headers: textHeaders, body: 'not configured' };
}
