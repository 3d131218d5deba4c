/** Expected results shared by the template tests (unit and extension host). */

/** The few-shot example rendered with its sample values, exactly. */
export const FEW_SHOT_EXPECTED = [
  'Classify the sentiment of the customer review as positive, negative or neutral.',
  '',
  'Review: Battery lasts all day & the screen is gorgeous.',
  'Sentiment: positive',
  '',
  'Review: It stopped charging after a week. <Sigh>',
  'Sentiment: negative',
  '',
  'Review: Does what the box says, no more, no less.',
  'Sentiment: neutral',
  '',
  'Review: The "fast" charger takes 5 hours & gets hot.',
  'Sentiment:',
  '',
].join('\n');
