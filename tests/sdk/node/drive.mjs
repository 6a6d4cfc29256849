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
  // What Smartpay's own live suite (test/live.js) does, with only its base URL pointed here: a test consumer
  // logs in and authorizes the order over plain fetch, then the SDK captures twice and refunds twice.
  liveSuiteFlow: async () => {
    const session = await smartpay.createCheckoutSession({
      items: [{ name: 'レブロン 18 LOW', amount: 350, currency: 'JPY', quantity: 1 }],
      shippingInfo: { address: { line1: 'line1', locality: 'locality', postalCode: '123', country: 'JP' }, feeAmount: 100, feeCurrency: 'JPY' },
      captureMethod: 'manual', reference: 'order_ref_1234567', successUrl: 'https://smartpay.co', cancelUrl: 'https://smartpay.co',
    });
    const apiBase = process.env.SMARTPAY_API_PREFIX;
    const login = await fetch(`${apiBase}/consumers/auth/login`, {
      headers: {}, method: 'POST', body: `{"emailAddress":"${args.username}","password":"${args.password}"}`,
    });
    const { accessToken } = await login.json();
    const authorization = await fetch(`${apiBase}/orders/${session.order.id}/authorizations`, {
      headers: { Authorization: `Bearer ${accessToken}` }, method: 'POST',
      body: '{"paymentMethod":"pm_test_visaApproved","paymentPlan":"pay_in_three"}',
    });
    const payment1 = await smartpay.createPayment({ order: session.order.id, amount: 150, currency: 'JPY', cancelRemainder: 'manual' });
    const payment2 = await smartpay.capture({ order: session.order.id, amount: 151, currency: 'JPY', cancelRemainder: 'manual' });
    const order = await smartpay.getOrder({ id: session.order.id });
    const refund1 = await smartpay.createRefund({ payment: order.payments[0], amount: 1, currency: 'JPY', reason: Smartpay.REFUND_REQUEST_BY_CUSTOMER });
    const refund2 = await smartpay.createRefund({ payment: order.payments[0], amount: 1, currency: 'JPY', reason: Smartpay.REFUND_REQUEST_BY_CUSTOMER });
    return { authorizationStatus: authorization.status, payment1, payment2, order, refund1, refund2 };
  },
  // Token mode, as the SDK suites drive it: a token session, the consumer's test-mode approval over fetch,
  // then orders charged to the token, and the token disabled, enabled and deleted.
  tokens: async () => {
    const session = await smartpay.createCheckoutSession({
      mode: 'token', customerInfo: { emailAddress: 'hanako+test@example.com' }, reference: 'sdk-subscription',
      successUrl: 'https://shop.example/subscribed', cancelUrl: 'https://shop.example/not-subscribed',
    });
    const tokenId = session.token.id;
    const apiBase = process.env.SMARTPAY_API_PREFIX;
    const login = await fetch(`${apiBase}/consumers/auth/login`, {
      method: 'POST', body: '{"emailAddress":"consumer+test@example.com","password":"anything"}',
    });
    const { accessToken } = await login.json();
    const approval = await fetch(`${apiBase}/tokens/${tokenId}/approve`, {
      method: 'PUT', headers: { Authorization: `Bearer ${accessToken}` },
    });
    const fetched = await smartpay.getToken({ id: tokenId });
    const listed = await smartpay.listTokens({ maxResults: 10 });
    const order = await smartpay.createOrder({
      token: tokenId, amount: 1580, currency: 'JPY', captureMethod: 'automatic', reference: 'sdk-subscription-1',
      items: [{ name: 'Kyoto Hojicha 80 g', amount: 1080, currency: 'JPY', quantity: 1 }],
      customerInfo: { emailAddress: 'hanako+test@example.com' },
      shippingInfo: { address: { line1: '1-2-3', locality: '目黒区', postalCode: '153-0063', country: 'JP' }, feeAmount: 500, feeCurrency: 'JPY' },
    });
    const disabled = await smartpay.disableToken({ id: tokenId });
    const enabled = await smartpay.enableToken({ id: tokenId });
    await smartpay.deleteToken({ id: tokenId });
    let afterDelete;
    try { await smartpay.getToken({ id: tokenId }); } catch (error) { afterDelete = { statusCode: error.statusCode, errorCode: error.errorCode }; }
    return { session, approvalStatus: approval.status, fetched, listed, order, disabled, enabled, afterDelete };
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
