import { useId } from "react";

/** A labelled text input. The label points at the input rather than
 * holding it: a label that holds a text box names it with its text too. */
export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{props.label}</label>
      <input id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required} />
    </>
  );
}
