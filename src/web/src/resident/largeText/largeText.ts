// 适老化: the large-text mode of the resident pages. A choice of this device, kept in localStorage (the server has no
// place for a user's display preferences yet); null means the resident has not chosen, so the home page offers it.
import { useSyncExternalStore } from 'react';

const KEY = 'deliberate.largeText';
const listeners = new Set<() => void>();

function read(): boolean | null {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'on' ? true : value === 'off' ? false : null;
  } catch {
    return null; // storage refused (private mode): the default mode, offered again next time
  }
}

export function setLargeText(on: boolean) {
  try {
    localStorage.setItem(KEY, on ? 'on' : 'off');
  } catch {
    /* kept for this page only */
  }
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab switching it changes this one too.
  const onStorage = (e: StorageEvent) => e.key === KEY && listener();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** Whether large text is on (true), off by choice (false) or not chosen yet (null). */
export function useLargeTextChoice(): boolean | null {
  return useSyncExternalStore(subscribe, read, () => null);
}
