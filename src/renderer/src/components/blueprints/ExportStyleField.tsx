import { useId } from 'react';

export type ExportStyle = 'portable' | 'authentik' | 'round-trip';

const styles: readonly { value: ExportStyle; label: string; explanation: string }[] = [
  {
    value: 'portable',
    label: 'Portable',
    explanation:
      'Entry ids with !KeyOf and !Find instead of raw pks; secrets become !Context keys. For sharing and git.',
  },
  {
    value: 'authentik',
    label: 'authentik',
    explanation:
      'authentik’s own export layout: its entry order, pks in identifiers, defaults left out.',
  },
  {
    value: 'round-trip',
    label: 'Round-trip',
    explanation:
      'Imported blueprints written back as they came in (tags, order, unknown parts), with your edits.',
  },
];

/** The export style as a radio group, each choice with its one-line explanation. */
export function ExportStyleField({
  value,
  onChange,
}: {
  value: ExportStyle;
  onChange(value: ExportStyle): void;
}) {
  const name = useId();
  return (
    <fieldset className="fieldset" data-testid="export-style">
      <legend className="field-label">Style</legend>
      <div className="radio-cards">
        {styles.map((style) => (
          <label
            key={style.value}
            className={value === style.value ? 'radio-card is-checked' : 'radio-card'}
          >
            <input
              type="radio"
              className="radio"
              name={name}
              value={style.value}
              checked={value === style.value}
              onChange={() => onChange(style.value)}
              aria-labelledby={`${name}-${style.value}-label`}
              aria-describedby={`${name}-${style.value}-explanation`}
              data-autofocus={value === style.value || undefined}
            />
            <span className="radio-card-text">
              <span id={`${name}-${style.value}-label`} className="radio-card-label">
                {style.label}
              </span>
              <span id={`${name}-${style.value}-explanation`} className="radio-card-explanation">
                {style.explanation}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
