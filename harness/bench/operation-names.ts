// The join operations the benchmark measures, in the order it reports them.
export const OPERATION_NAMES = ['renewal', 'recovery', 'onboarding-key', 'onboarding-secret', 'rotation'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];

export function isOperationName(value: string): value is OperationName {
  return (OPERATION_NAMES as readonly string[]).includes(value);
}
