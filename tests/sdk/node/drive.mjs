// Drive Smartpay's official Node SDK against the sandbox: `node drive.mjs <step> '<json args>'`.
// Prints one JSON document: the SDK's result, or {error: {...}} with what the SDK raised.
import { readFileSync } from 'node:fs';
import Smartpay from '@smartpay/sdk-node';

const smartpay = new Smartpay(process.env.SMARTPAY_SECRET_KEY, { apiPrefix: process.env.SMARTPAY_API_PREFIX });
const [step, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs || '{}');

const steps = {
  // The SDK's own loose payload: no top-level amount, so the SDK computes it from the items and fee.
  createSession: () => smartpay.createCheckoutSession({
    currency: 'JPY',
    items: [
      { name: 'Uji Matcha 30 g', amount: 3240, quantity: 2, reference: 'TEA-001' },
      { name: 'Tenugui', amount: 990, quantity: 1 },
    ],
    customerInfo: { emailAddress: 'taro+test@example.com', firstName: 'Taro', lastName: 'Yamada' },
    shippingInfo: { address: { line1: '1-2-3 Meguro', locality: '目黒区', postalCode: '153-0063', country: 'JP' }, feeAmount: 500 },
    captureMethod: args.captureMethod,
    reference: args.reference || 'sdk-node-order',
    idempotencyKey: args.idempotencyKey,
    successUrl: 'https://shop.example/success',
    cancelUrl: 'https://shop.example/cancel',
  }),
  // The same, with a promotion code: the SDK adds it to the session's url as ?promotion-code=.
  createSessionWithCode: () => smartpay.createCheckoutSession({
    currency: 'JPY',
    items: [{ name: 'Uji Matcha 30 g', amount: 3240, quantity: 2 }],
    customerInfo: { emailAddress: 'taro+test@example.com', firstName: 'Taro', lastName: 'Yamada' },
    shippingInfo: { address: { line1: '1-2-3 Meguro', locality: '目黒区', postalCode: '153-0063', country: 'JP' }, feeAmount: 500 },
    promotionCode: args.code,
    successUrl: 'https://shop.example/success',
    cancelUrl: 'https://shop.example/cancel',
  }),
  promotions: async () => {
    const coupon = await smartpay.createCoupon({ name: 'Autumn', discountType: 'amount', discountAmount: 500, currency: 'JPY' });
    const percent = await smartpay.createCoupon({ name: 'Tenth', discountType: 'percentage', discountPercentage: 10 });
    const code = await smartpay.createPromotionCode({ coupon: coupon.id, code: args.code, maxRedemptionCount: 3 });
    const fetchedCoupon = await smartpay.getCoupon({ id: coupon.id });
    const updatedCoupon = await smartpay.updateCoupon({ id: percent.id, active: false, name: 'Tenth (closed)' });
    const coupons = await smartpay.listCoupons({ maxResults: 10 });
    const fetchedCode = await smartpay.getPromotionCode({ id: code.id });
    const updatedCode = await smartpay.updatePromotionCode({ id: code.id, metadata: { campaign: 'autumn' } });
    const codes = await smartpay.listPromotionCodes();
    return { coupon, percent, code, fetchedCoupon, updatedCoupon, coupons, fetchedCode, updatedCode, codes };
  },
  duplicateCode: () => smartpay.createPromotionCode({ coupon: args.coupon, code: args.code }),
  getSession: async () => ({
    plain: await smartpay.getCheckoutSession({ id: args.id }),
    expanded: await smartpay.getCheckoutSession({ id: args.id, expand: 'all' }),
  }),
  getOrder: () => smartpay.getOrder({ id: args.id, expand: 'all' }),
  listOrders: () => smartpay.listOrders({ maxResults: 2 }),
  listSessions: () => smartpay.listCheckoutSessions({ maxResults: 10 }),
  capture: () => smartpay.capture({ order: args.order, amount: args.amount, currency: 'JPY', cancelRemainder: 'manual' }),
  cancel: () => smartpay.cancelOrder({ id: args.id }),
  refund: () => smartpay.refund({
    payment: args.payment, amount: args.amount, currency: 'JPY', reason: 'requested_by_customer', idempotencyKey: args.idempotencyKey,
  }),
  webhookEndpoints: async () => {
    const created = await smartpay.createWebhookEndpoint({ url: args.url, eventSubscriptions: ['order.authorized'] });
    const listed = await smartpay.listWebhookEndpoints();
    const updated = await smartpay.updateWebhookEndpoint({ id: created.id, active: false, eventSubscriptions: ['payment.created'] });
    const fetched = await smartpay.getWebhookEndpoint({ id: created.id });
    const deleted = await smartpay.deleteWebhookEndpoint({ id: created.id });
    const after = await smartpay.listWebhookEndpoints();
    return { created, listed, updated, fetched, deleted, after };
  },
  // Every recorded delivery, checked with the SDK's own verifier.
  verify: () => JSON.parse(readFileSync(args.file, 'utf8')).map((d) => Smartpay.verifyWebhookSignature({
    data: `${d.timestamp}.${d.body}`, secret: args.secret, signature: d.signature,
  })),
};

try {
  const result = await steps[step]();
  process.stdout.write(JSON.stringify({ result }));
} catch (error) {
  process.stdout.write(JSON.stringify({ error: { statusCode: error.statusCode, errorCode: error.errorCode, message: error.message } }));
}
