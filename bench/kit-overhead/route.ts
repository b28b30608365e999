/**
 * The one route both servers serve: same contract, same schema objects, same handler work, so
 * that the only difference between them is the kit.
 */
import { fileURLToPath } from 'node:url';
import { loadContract } from '@rds/kit';

export const CONTRACT = fileURLToPath(new URL('./contract.yaml', import.meta.url));
export const ROUTE = '/orders';
/** The kit service's name, and so the audience of the service tokens sent to it. */
export const SERVICE_NAME = 'kit-overhead';

export interface OrderRequest {
  customer: string;
  sku: string;
  quantity: number;
  note?: string;
}

const schemas = ((await loadContract(CONTRACT)).components?.schemas ?? {}) as Record<
  string,
  object
>;
if (!schemas.OrderRequest || !schemas.Order)
  throw new Error(`${CONTRACT}: no schemas OrderRequest and Order in its components`);
/** The JSON Schema of the request body, read from the contract the kit service serves. */
export const requestSchema = schemas.OrderRequest!;
/** The JSON Schema of the 200 response, read from the same contract. */
export const responseSchema = schemas.Order!;

export const REQUEST_BODY: OrderRequest = {
  customer: 'alice-example',
  sku: 'ABC-123',
  quantity: 3,
  note: 'leave at the door',
};

/** A request body the schema refuses (quantity is a string): both servers must answer 400. */
export const INVALID_BODY = { ...REQUEST_BODY, quantity: 'three' };

const CATALOGUE = [
  ['ABC-123', 'Archival storage box, acid-free, 10 pieces'],
  ['DEF-456', 'Lab notebook, 192 pages, numbered'],
  ['GHI-789', 'Sample labels, cryo-resistant, 500 pieces'],
  ['JKL-012', 'USB flash drive, 64 GB, encrypted'],
  ['MNO-345', 'Data sheet binder, A4, 4 rings'],
  ['PQR-678', 'Barcode scanner, wireless, with cradle'],
] as const;

/** The handler's work, identical on both servers: an order of about 1 KB of JSON. */
export function placeOrder(body: OrderRequest) {
  const lines = CATALOGUE.map(([sku, title], i) => {
    const quantity = sku === body.sku ? body.quantity : i + 1;
    const unitPrice = 1250 + i * 375;
    return { line: i + 1, sku, title, quantity, unitPrice, subtotal: quantity * unitPrice };
  });
  return {
    orderId: `ord-${body.customer}-${body.sku}-${body.quantity}`,
    customer: body.customer,
    status: 'accepted',
    currency: 'EUR',
    total: lines.reduce((sum, l) => sum + l.subtotal, 0),
    lines,
    shipping: { method: 'standard', carrier: 'Deutsche Post DHL Group', estimatedDays: 3 },
    note: body.note ?? '',
  };
}
