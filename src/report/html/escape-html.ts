/** Text for HTML element content and attribute values. @example escapeHtml('a < b') === 'a &lt; b' */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
