// What the nodes read besides their own data: the descriptors, and per-activity decorations
// (validation errors in the editor; executed / waiting / faulted in the instance viewer).
import { createContext, useContext } from 'react';
import type { ActivityDescriptor } from './types';

export type RunState = 'executed' | 'waiting' | 'faulted';
export interface Decoration {
  errors?: string[];
  run?: RunState;
  /** The activity's place in the order the instance first reached them. */ order?: number;
}

export const DescriptorIndex = createContext<Map<string, ActivityDescriptor>>(new Map());
export const Decorations = createContext<Map<string, Decoration>>(new Map());

export const useDescriptor = (type: string) => useContext(DescriptorIndex).get(type);
export const useDecoration = (id: string) => useContext(Decorations).get(id);
