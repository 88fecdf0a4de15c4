import { useEffectiveTheme, useThemeStore } from '../../state/theme-store';

/** Switches between light and dark; the choice is kept in localStorage. */
export function ThemeToggle() {
  const theme = useEffectiveTheme();
  const setPreference = useThemeStore((state) => state.setPreference);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="button button-quiet"
      onClick={() => setPreference(next)}
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      data-testid="theme-toggle"
    >
      <span aria-hidden="true" className="theme-icon">
        {theme === 'dark' ? '☾' : '☀'}
      </span>
      <span>{theme === 'dark' ? 'Dark' : 'Light'}</span>
    </button>
  );
}
