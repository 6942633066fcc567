import { it } from 'vitest';
import { prepareHtml } from '../../../src/detect/text/prepare';
it('probe', () => {
  console.log(JSON.stringify(prepareHtml('<p class=MsoNormal>NM1*IL~</p><p class=MsoNormal>DMG*D8~<br>REF*SY</p><div>x</div>').text));
  console.log(JSON.stringify(prepareHtml('“resourceType”: ‘a’').text));
});
