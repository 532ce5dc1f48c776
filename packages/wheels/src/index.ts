export { downloadWinWheels } from './download.js';
export { readWheelRequest, wheelOutputs, wheelSummaries } from './report.js';
