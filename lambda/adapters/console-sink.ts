// AlertSink for the terminal: writes each alert as formatConsole renders it; a stream never refuses an alert.
import { formatConsole } from '../core/format';
import type { Alert } from '../core/types';
import type { AlertSink, PublishResult } from '../ports';

export class ConsoleAlertSink implements AlertSink {
  constructor(private readonly out: NodeJS.WritableStream) {}

  async publish(alerts: Alert[]): Promise<PublishResult[]> {
    for (const alert of alerts) this.out.write(`${formatConsole(alert)}\n\n`);
    return alerts.map((alert) => ({ alertId: alert.id, ok: true }));
  }
}
