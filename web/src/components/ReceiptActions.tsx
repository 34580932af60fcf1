import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Keep a receipt: copy it, download it as a text file, or print the page. `text` is the whole
 * file (what was received, the code, where to check it); `code` is what the copy button copies.
 */
export function ReceiptActions({ code, text, fileName }: { code: string; text: string; fileName: string }) {
  const { t } = useTranslation();
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setSaid(t('receiptActions.copied'));
    } catch {
      setSaid(t('receiptActions.copyFailed'));
    }
  };
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="receipt-actions">
      <button type="button" className="button-secondary" onClick={() => void copy()}>
        {t('receiptActions.copy')}
      </button>
      <button type="button" className="button-secondary" onClick={download}>
        {t('receiptActions.download')}
      </button>
      <button type="button" className="button-secondary" onClick={() => window.print()}>
        {t('receiptActions.print')}
      </button>
      <span role="status" className="muted">
        {said}
      </span>
    </div>
  );
}
