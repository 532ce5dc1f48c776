export { downloadWinWheels } from './download.js';
export { urlSecrets } from './indexes.js';
export { checkWheelInputs } from './request.js';
