/** Formats integer cents as a price string. */
export const formatCents = (cents, currency = 'EUR') => `${(cents / 100).toFixed(2)} ${currency}`;
