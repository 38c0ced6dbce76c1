/** Short messages at the bottom of the screen; `Toast.svelte` draws them. */

export interface ToastMessage {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

let next = 1;

class Toasts {
  items = $state<ToastMessage[]>([]);

  show(text: string, tone: ToastMessage['tone'] = 'info', ms = 4000): void {
    const id = next++;
    this.items = [...this.items.slice(-2), { id, text, tone }];
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
