/**
 * <digit-recognizer> in Vue 3, as an ordinary custom element: Vue sets `mode` and `multiple` as DOM
 * properties (the element has them) and `onDigitRecognized` listens to the `digit-recognized` event.
 *
 * Render functions instead of a template: Vue compiles templates in the browser with `new Function`,
 * which a strict Content Security Policy forbids; a build with a template compiler (Vite, vue-loader)
 * would turn the same markup into these calls. The page loads /digit-recognizer.js before this
 * bundle, so the element is defined before Vue mounts. Built by demo/build.mjs into /vue-demo.js.
 */
import { createApp, defineComponent, h, ref } from 'vue';
import type { RecognizerMode } from '../../component/src/engine.js';
import type { DigitRecognizedEvent } from '../../component/src/events.js';
import { describeSource, MODES, type Reading } from './readings.js';

const App = defineComponent({
  setup() {
    const mode = ref<RecognizerMode>('auto');
    const multiple = ref(true);
    const readings = ref<Reading[]>([]);

    const onDigitRecognized = ({ detail }: DigitRecognizedEvent) => {
      readings.value = [
        {
          id: Date.now() + Math.random(),
          digits: detail.digits,
          status: detail.status,
          source: detail.source,
          durationMs: detail.durationMs,
        },
        ...readings.value,
      ].slice(0, 5);
    };

    return () => {
      const [latest, ...earlier] = readings.value;
      return h('div', { class: 'example-grid' }, [
        h('section', { class: 'panel', 'aria-labelledby': 'pad-title' }, [
          h('h2', { id: 'pad-title' }, 'The element'),
          h('div', { class: 'options' }, [
            h('label', [
              'Where to read ',
              h(
                'select',
                {
                  value: mode.value,
                  onChange: (event: Event) => (mode.value = (event.target as HTMLSelectElement).value as RecognizerMode),
                },
                MODES.map(({ value, label }) => h('option', { value, selected: value === mode.value }, label)),
              ),
            ]),
            h('label', [
              h('input', {
                type: 'checkbox',
                checked: multiple.value,
                onChange: (event: Event) => (multiple.value = (event.target as HTMLInputElement).checked),
              }),
              ' Read a whole number',
            ]),
          ]),
          h('digit-recognizer', { mode: mode.value, multiple: multiple.value, label: 'Drawing area (Vue example)', onDigitRecognized }),
        ]),
        h('section', { class: 'panel', 'aria-labelledby': 'state-title' }, [
          h('h2', { id: 'state-title' }, 'Vue state'),
          h('p', { class: 'latest-label' }, ['Last number, from the ', h('code', 'digit-recognized'), ' event:']),
          h('output', { class: 'latest', 'data-testid': 'latest' }, latest ? latest.digits || 'no digit' : '–'),
          h('p', { class: 'latest-source', 'data-testid': 'latest-source' }, latest ? describeSource(latest) : 'Draw or upload a number.'),
          earlier.length > 0
            ? [
                h('h3', 'Before that'),
                h(
                  'ol',
                  { class: 'history' },
                  earlier.map((reading) =>
                    h('li', { key: reading.id }, [h('strong', reading.digits || 'no digit'), ' ', describeSource(reading)]),
                  ),
                ),
              ]
            : null,
        ]),
      ]);
    };
  },
});

createApp(App).mount('#app');
